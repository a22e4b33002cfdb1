import { timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/** The test routes' guard (test builds only): the caller must send `Authorization: Bearer <CRON_SECRET>`. */
export function authorized(req: Request): boolean {
  const secret = env().CRON_SECRET;
  const given = req.headers.get("authorization") ?? "";
  const expected = `Bearer ${secret}`;
  return (
    Boolean(secret) &&
    given.length === expected.length &&
    timingSafeEqual(new Uint8Array(Buffer.from(given)), new Uint8Array(Buffer.from(expected)))
  );
}
