/**
 * Refuses server-action requests Next.js would answer with a 500 (issue 12 finding 7), before they reach it:
 * a body of 1 MiB or more (Next's own limit, `serverActions.bodySizeLimit` "1mb") → 413; a content type a
 * server action is never sent with → 415; a malformed `Next-Action` id, a text body that is not JSON (React's
 * encodeReply sends JSON as text/plain) or a multipart/urlencoded body that does not parse → 400.
 * Checked in proxy.ts for every POST that is not an API route (a page POST is a server action or nothing:
 * without JavaScript, React posts the action id inside a multipart form instead of the header).
 * The body is read from a clone: Next buffers it for the proxy and hands the original to the action.
 */
export const ACTION_BODY_LIMIT = 1024 * 1024;
const ACTION_ID = /^[0-9a-f]{2,128}$/i;
const TYPES = ["text/plain", "multipart/form-data", "application/x-www-form-urlencoded"];

export type ActionRefusal = { status: 400 | 413 | 415; message: string };

async function readCapped(req: Request, max: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size >= max) {
      // Not awaited: cancelling one branch of a cloned (tee'd) body settles only when the other branch ends.
      void reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return all;
}

/** null = let it through; otherwise the 4xx to answer. */
export async function refuseActionBody(req: Request): Promise<ActionRefusal | null> {
  if (req.method !== "POST") return null;
  const actionId = req.headers.get("next-action");
  const rawType = req.headers.get("content-type") ?? "";
  // Lower case for matching the media type only: the boundary parameter is case-sensitive.
  const type = rawType.toLowerCase();
  const isMultipart = type.startsWith("multipart/form-data");
  // A plain POST to a page without the header and without a form body is not an action: Next answers it.
  if (actionId === null && !isMultipart && !type.startsWith("application/x-www-form-urlencoded")) return null;
  if (actionId !== null && !ACTION_ID.test(actionId)) return { status: 400, message: "Malformed Next-Action header." };
  const declared = Number(req.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared >= ACTION_BODY_LIMIT)
    return { status: 413, message: "The request body is too large (1 MB at most)." };
  if (actionId !== null && !TYPES.some((t) => type.startsWith(t)))
    return { status: 415, message: "Unsupported content type for a server action." };
  const bytes = await readCapped(req.clone(), ACTION_BODY_LIMIT);
  if (bytes === null) return { status: 413, message: "The request body is too large (1 MB at most)." };
  const malformed: ActionRefusal = { status: 400, message: "The request body is malformed." };
  if (type.startsWith("text/plain")) {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      JSON.parse(text);
    } catch {
      return malformed;
    }
    return null;
  }
  if (isMultipart) return multipartWellFormed(bytes, rawType) ? null : malformed;
  // urlencoded: any byte string parses; it must be UTF-8 for the action's FormData.
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return malformed;
  }
  return null;
}

/**
 * The structure of a multipart/form-data body (RFC 7578): it opens with the boundary, closes with the final
 * boundary, and every part has a `Content-Disposition: form-data; name="…"` header. The boundary is
 * case-sensitive (Chromium's has capitals: an earlier check that lower-cased the header refused every browser
 * form with 400). Checked by hand, so it does not depend on the runtime's FormData parser.
 */
export function multipartWellFormed(bytes: Uint8Array, contentType: string): boolean {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return false;
  // Latin-1 keeps one character per byte, so the search never trips over a part's binary content.
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  const delimiter = `--${boundary}`;
  if (!text.startsWith(delimiter)) return false;
  const close = text.indexOf(`\r\n${delimiter}--`);
  if (close < 0) return false;
  const parts = text.slice(delimiter.length, close).split(`\r\n${delimiter}`);
  return parts.every((part) => {
    if (!part.startsWith("\r\n")) return false;
    const headEnd = part.indexOf("\r\n\r\n");
    const head = headEnd < 0 ? part.slice(2) : part.slice(2, headEnd);
    return headEnd >= 0 && /^content-disposition:\s*form-data\s*;\s*name=/im.test(head);
  });
}
