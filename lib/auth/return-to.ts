/**
 * A `returnTo` we may redirect to after sign-in or MFA: a same-site path only ("/my-roles?activate=…"),
 * never another origin ("//evil.example", "https://…", "/\\evil") and never the auth pages themselves.
 */
export function safeReturnTo(raw: string | null | undefined): string | null {
  if (!raw || raw.length > 2000) return null;
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return null;
  if (/[\u0000-\u001f\\]/.test(raw)) return null;
  try {
    const u = new URL(raw, "http://x.invalid");
    if (u.origin !== "http://x.invalid") return null;
    if (/^\/(sign-in|mfa|api\/auth)(\/|$)/.test(u.pathname)) return null;
    return `${u.pathname}${u.search}${u.hash}`;
  } catch {
    return null;
  }
}
