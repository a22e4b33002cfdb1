import type { APIRequestContext, Page } from "@playwright/test";

/** A server action call as the browser made it: the page URL, the `Next-Action` headers and the body. */
export type ActionCall = { url: string; headers: Record<string, string> };

/** Runs `fn` and records the first server action request the page sends meanwhile. */
export async function captureAction(page: Page, fn: () => Promise<void>): Promise<ActionCall> {
  const req = page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
  await fn();
  const r = await req;
  const headers = Object.fromEntries(
    Object.entries(await r.allHeaders()).filter(
      ([k]) => !["cookie", "content-length", "host", "connection"].includes(k.toLowerCase()) && !k.startsWith(":"),
    ),
  );
  return { url: r.url(), headers };
}

/**
 * Calls the same server action again from another context (its own cookies) with other arguments, as an
 * attacker replaying the form POST would. Returns the raw RSC answer (contains the ActionResult as JSON).
 */
export async function replayAction(request: APIRequestContext, call: ActionCall, args: unknown[]): Promise<string> {
  const res = await request.post(call.url, { headers: call.headers, data: JSON.stringify(args) });
  return res.text();
}
