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
    // URL parsing normalises dot segments and %2e: "/.//evil.example" becomes the path "//evil.example",
    // which a browser reads as another host. Judge the path we would actually return.
    const path = u.pathname;
    if (path.startsWith("//") || path.startsWith("/\\") || /^\/(sign-in|mfa|api\/auth)(\/|$)/.test(path)) return null;
    return `${path}${u.search}${u.hash}`;
  } catch {
    return null;
  }
}
