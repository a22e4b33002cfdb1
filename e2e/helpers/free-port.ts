import { execFileSync } from "node:child_process";
import net from "node:net";

/** A port that was free on 127.0.0.1 a moment ago (the kernel's choice for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The same, synchronously, for playwright.config.ts (which Playwright loads synchronously): asks a short
 * child Node process, so the config can put the port in process.env before Playwright starts the
 * webServer and the workers (both inherit the runner's environment, so every process sees one port).
 */
export function freePortSync(): number {
  const out = execFileSync(
    process.execPath,
    [
      "-e",
      "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
    ],
    { encoding: "utf8" },
  );
  const port = Number(out.trim());
  if (!Number.isInteger(port) || port <= 0) throw new Error(`free port probe answered ${JSON.stringify(out)}`);
  return port;
}
