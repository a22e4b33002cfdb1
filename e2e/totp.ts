import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { TOTP } from "otpauth";

/**
 * TOTP codes for test personas. The server accepts a code at most once (it remembers the last step),
 * so we remember the steps used and pick the next unused one within the ±1 drift window, waiting for a
 * new period only when both are spent. The memory is a small file per e2e server port, not the worker's
 * heap: after a failed test Playwright starts a new worker, which must not reuse a code the old one spent;
 * and two workers may sign in as the same person at once, so each pick holds a lock (an exclusive mkdir).
 */
const stateFile = path.join(os.tmpdir(), `pim-e2e-totp-${process.env.E2E_PORT ?? "default"}.json`);
const lockDir = `${stateFile}.lock`;

async function withLock<T>(fn: () => T): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      // A worker killed inside the lock leaves it behind: the section is a file read and write, so a lock
      // older than 10 s is stale.
      try {
        if (Date.now() - fs.statSync(lockDir).mtimeMs > 10_000) fs.rmdirSync(lockDir);
      } catch {
        /* released meanwhile */
      }
      if (tries > 2_000) throw new Error(`TOTP lock ${lockDir} stays taken`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  try {
    return fn();
  } finally {
    fs.rmdirSync(lockDir);
  }
}
const usedSteps = {
  read(): Record<string, number> {
    try {
      return JSON.parse(fs.readFileSync(stateFile, "utf8")) as Record<string, number>;
    } catch {
      return {};
    }
  },
  get(secret: string): number | undefined {
    return this.read()[secret];
  },
  set(secret: string, step: number): void {
    const all = this.read();
    all[secret] = Math.max(all[secret] ?? -1, step);
    fs.writeFileSync(stateFile, JSON.stringify(all));
  },
};

export async function freshCode(secret: string): Promise<string> {
  const totp = new TOTP({ secret, digits: 6, period: 30, algorithm: "SHA1" });
  for (;;) {
    const candidate = await withLock(() => {
      const step = Math.floor(Date.now() / 30_000);
      const last = usedSteps.get(secret) ?? -1;
      const c = last < step ? step : last === step ? step + 1 : -1;
      if (c !== -1) usedSteps.set(secret, c);
      return c;
    });
    if (candidate !== -1) return totp.generate({ timestamp: candidate * 30_000 + 1_000 });
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** A code for the current step regardless of use (to test that reuse is refused). */
export function codeAt(secret: string, timestampMs = Date.now()): string {
  return new TOTP({ secret, digits: 6, period: 30, algorithm: "SHA1" }).generate({ timestamp: timestampMs });
}

export async function markUsed(secret: string, timestampMs = Date.now()): Promise<void> {
  const step = Math.floor(timestampMs / 30_000);
  await withLock(() => usedSteps.set(secret, Math.max(usedSteps.get(secret) ?? -1, step)));
}
