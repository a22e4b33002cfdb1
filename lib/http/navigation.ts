/**
 * Is this request a browser navigation (an address typed or a link followed), not a script or `fetch`?
 * Route handlers that refuse answer a navigation with the page that explains the refusal and a script with
 * JSON. Fetch Metadata decides where the browser sends it; older clients fall back to the Accept header.
 */
export function isBrowserNavigation(headers: Headers): boolean {
  const mode = headers.get("sec-fetch-mode");
  if (mode) return mode === "navigate";
  return (headers.get("accept") ?? "").includes("text/html");
}
