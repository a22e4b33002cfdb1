// The one env read left in the core: emit.ts renders each link into the email when it writes the outbox row;
// passing the base URL in through ctx changes emitNotification's signature for all its callers (issue 11).
// eslint-disable-next-line no-restricted-imports
import { env } from "@/lib/env";

/** The portal's public address for links in emails (no trailing slash, no next-auth path). */
export function publicBaseUrl(): string {
  const e = env();
  const raw = e.PUBLIC_URL ?? e.AUTH_URL ?? "http://localhost:3000";
  return raw.replace(/\/+$/, "").replace(/\/api\/auth$/, "");
}
