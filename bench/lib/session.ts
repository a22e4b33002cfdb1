/**
 * Signing in through the real flow over HTTP, as a browser without JavaScript does: GET the sign-in page, POST its
 * form (the server action's hidden fields + identifier and password), follow to the MFA page, POST a TOTP code,
 * keep the session cookie. Returns the Cookie header value.
 */
import { totpCode } from "@/lib/auth/mfa";
import { BENCH_PASSWORD, type Persona } from "../generate/personas";

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The hidden inputs (React's server-action fields) of the form that has a field named `field`. */
function hiddenFields(html: string, field: string): [string, string][] {
  const form = [...html.matchAll(/<form[\s\S]*?<\/form>/g)].map((m) => m[0]).find((f) => f.includes(`name="${field}"`));
  if (!form) throw new Error(`no form with a '${field}' field`);
  const out: [string, string][] = [];
  for (const m of form.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(m[0])?.[1];
    const value = /value="([^"]*)"/.exec(m[0])?.[1] ?? "";
    if (name) out.push([decode(name), decode(value)]);
  }
  return out;
}

class Jar {
  private cookies = new Map<string, string>();
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair?.indexOf("=") ?? -1;
      if (pair && i > 0) {
        const v = pair.slice(i + 1);
        if (v === "" || /max-age=0/i.test(c)) this.cookies.delete(pair.slice(0, i));
        else this.cookies.set(pair.slice(0, i), v);
      }
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

async function postForm(base: string, path: string, jar: Jar, fields: [string, string][]): Promise<Response> {
  const page = await fetch(`${base}${path}`, { headers: { cookie: jar.header() } });
  jar.take(page);
  const form = new FormData();
  for (const [k, v] of hiddenFields(await page.text(), fields[0]?.[0] ?? "")) form.append(k, v);
  for (const [k, v] of fields) form.append(k, v);
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    body: form,
    redirect: "manual",
    headers: { cookie: jar.header(), origin: base },
  });
  jar.take(res);
  return res;
}

export async function signIn(base: string, who: Persona): Promise<string> {
  const jar = new Jar();
  const r1 = await postForm(base, "/sign-in", jar, [
    ["identifier", who.userPrincipalName],
    ["password", BENCH_PASSWORD],
  ]);
  if (r1.status !== 303 || !r1.headers.get("location")?.includes("/mfa"))
    throw new Error(`sign-in of ${who.displayName}: expected a redirect to /mfa, got ${r1.status}`);
  for (let attempt = 0; attempt < 3; attempt++) {
    const r2 = await postForm(base, "/mfa", jar, [["code", totpCode(who.totpSecret, new Date())]]);
    if (r2.status === 303) {
      const check = await fetch(`${base}/my-roles`, { headers: { cookie: jar.header() }, redirect: "manual" });
      if (check.status !== 200) throw new Error(`${who.displayName}: signed in but /my-roles answered ${check.status}`);
      return jar.header();
    }
    // a code already used in this 30 s step (an earlier run): wait for the next step
    await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 500));
  }
  throw new Error(`MFA of ${who.displayName} was not accepted`);
}
