/**
 * Test-only: a real SMTP server on 127.0.0.1 (the smtp-server package) that keeps what it receives.
 * Used by the delivery tests and the e2e run; never imported by the app.
 */
import net from "node:net";
import { SMTPServer } from "smtp-server";

export type ReceivedMail = {
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  notificationId: string;
  raw: string;
  /** The raw message with quoted-printable undone (good enough to search bodies for links). */
  decoded: string;
};

export function decodeQuotedPrintable(s: string): string {
  const bytes = s.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, hex: string) => `%${hex}`);
  try {
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/g, "%25"));
  } catch {
    return bytes;
  }
}

function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? "";
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, "im").exec(unfolded);
  return m?.[1]?.trim() ?? "";
}

export type SmtpSink = {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Recipients the server refuses with 550 (a permanent failure). */
  reject: Set<string>;
  close: () => Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts the sink on the given port (0 = a random free one). */
export async function startSmtpSink(port = 0, received: ReceivedMail[] = []): Promise<SmtpSink> {
  const reject = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (reject.has(address.address.toLowerCase())) {
        const err = Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 });
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      let raw = "";
      stream.setEncoding("utf8");
      stream.on("data", (c: string) => {
        raw += c;
      });
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: header(raw, "Subject"),
          messageId: header(raw, "Message-ID"),
          notificationId: header(raw, "X-PIM-Notification-Id"),
          raw,
          decoded: decodeQuotedPrintable(raw),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve, rejectP) => {
    server.once("error", rejectP);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const actual = (server.server.address() as net.AddressInfo).port;
  return {
    port: actual,
    url: `smtp://127.0.0.1:${actual}`,
    received,
    reject,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
