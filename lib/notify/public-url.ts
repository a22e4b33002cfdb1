import { env } from "@/lib/env";

/**
 * The portal's public address for links in emails (no trailing slash, no next-auth path). Read by the delivery
 * worker (lib/notify/jobs.ts), which passes it to the core's templates: the core itself reads no env.
 */
export function publicBaseUrl(): string {
  const e = env();
  const raw = e.PUBLIC_URL ?? e.AUTH_URL ?? "http://localhost:3000";
  return raw.replace(/\/+$/, "").replace(/\/api\/auth$/, "");
}
