import { TOTP } from "otpauth";

/**
 * TOTP codes for test personas. The server accepts a code at most once (it remembers the last step),
 * so we remember the steps this worker has used and pick the next unused one within the ±1 drift window,
 * waiting for a new period only when both are spent.
 */
const usedSteps = new Map<string, number>();

export async function freshCode(secret: string): Promise<string> {
  const totp = new TOTP({ secret, digits: 6, period: 30, algorithm: "SHA1" });
  for (;;) {
    const step = Math.floor(Date.now() / 30_000);
    const last = usedSteps.get(secret) ?? -1;
    const candidate = last < step ? step : last === step ? step + 1 : -1;
    if (candidate !== -1) {
      usedSteps.set(secret, candidate);
      return totp.generate({ timestamp: candidate * 30_000 + 1_000 });
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** A code for the current step regardless of use (to test that reuse is refused). */
export function codeAt(secret: string, timestampMs = Date.now()): string {
  return new TOTP({ secret, digits: 6, period: 30, algorithm: "SHA1" }).generate({ timestamp: timestampMs });
}

export function markUsed(secret: string, timestampMs = Date.now()): void {
  const step = Math.floor(timestampMs / 30_000);
  usedSteps.set(secret, Math.max(usedSteps.get(secret) ?? -1, step));
}
