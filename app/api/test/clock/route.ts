import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { env } from "@/lib/env";
import { advanceTestClock, serverNow } from "@/lib/clock";

export const dynamic = "force-dynamic";

const body = z.object({
  advanceMinutes: z
    .number()
    .min(0)
    .max(60 * 24 * 400),
});

function authorized(req: Request): boolean {
  const secret = env().CRON_SECRET;
  const given = req.headers.get("authorization") ?? "";
  const expected = `Bearer ${secret}`;
  return (
    Boolean(secret) &&
    given.length === expected.length &&
    timingSafeEqual(new Uint8Array(Buffer.from(given)), new Uint8Array(Buffer.from(expected)))
  );
}

/** End-to-end tests only: exists when PIM_TEST_CLOCK=1 and the caller holds CRON_SECRET. */
export async function POST(req: Request) {
  if (!env().PIM_TEST_CLOCK) return new Response("Not found", { status: 404 });
  if (!authorized(req)) return Response.json({ error: "unauthorized" }, { status: 401 });
  const parsed = body.safeParse(await req.json().catch(() => null));
  if (!parsed.success) return Response.json({ error: "advanceMinutes (number) is required" }, { status: 400 });
  const offsetMs = advanceTestClock(parsed.data.advanceMinutes * 60_000);
  return Response.json({ now: serverNow().toISOString(), offsetMs });
}

export async function GET(req: Request) {
  if (!env().PIM_TEST_CLOCK) return new Response("Not found", { status: 404 });
  if (!authorized(req)) return Response.json({ error: "unauthorized" }, { status: 401 });
  return Response.json({ now: serverNow().toISOString() });
}
