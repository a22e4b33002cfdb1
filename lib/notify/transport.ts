import nodemailer from "nodemailer";
import { env } from "@/lib/env";
import type { MailTransport } from "./deliver";

const cache = new Map<string, MailTransport>();

/**
 * The SMTP transport for SMTP_URL (smtp://user:pass@host:587, smtps://... for implicit TLS), or null
 * when mail is not configured. Timeouts are well inside the delivery lease (10 min), so a hung server
 * cannot make a claimed row look abandoned while it is still being sent.
 */
export function smtpTransport(url: string | undefined = env().SMTP_URL): MailTransport | null {
  if (!url) return null;
  let t = cache.get(url);
  if (!t) {
    t = nodemailer.createTransport({
      url,
      connectionTimeout: 20_000,
      greetingTimeout: 20_000,
      socketTimeout: 60_000,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    cache.set(url, t);
  }
  return t;
}
