import { env } from "@/lib/env";
import type { AuditChainConfig } from "@/lib/pim/audit-chain/duties";

/** The audit trail's checkpoint and verification settings, from the validated environment. */
export function auditChainConfig(emailConfigured: boolean): AuditChainConfig {
  const e = env();
  return {
    checkpointKey: e.AUDIT_CHECKPOINT_KEY ?? null,
    checkpointDir: e.AUDIT_CHECKPOINT_DIR ?? null,
    checkpointEveryMinutes: e.AUDIT_CHECKPOINT_EVERY_MINUTES,
    verifyEveryHours: e.AUDIT_VERIFY_EVERY_HOURS,
    emailConfigured,
  };
}
