import { z } from "zod";

/**
 * Zod's fast path compiles object parsers with `new Function`, after probing whether eval is allowed. In the
 * browser the portal's Content-Security-Policy forbids eval ('unsafe-eval' is never granted), so the probe
 * itself is a CSP violation on every page with a form. Jitless parsing skips the probe; the server keeps the
 * fast path. Imported for its effect by every module that defines or parses schemas in the browser.
 */
if (typeof window !== "undefined") z.config({ jitless: true });
