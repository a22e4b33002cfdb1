import { desc } from "drizzle-orm";
import { auditEvents, auditVerifications } from "@/db/schema";
import type { Actor, Ctx } from "../context";
import { pimReader } from "./read-scope";
import { PimError } from "../errors";

export type AuditStatus = {
  head: { id: number; hash: string; at: Date } | null;
  lastVerification: {
    finishedAt: Date;
    trigger: string;
    ok: boolean;
    rowsChecked: number;
    checkpointsChecked: number;
    breakCount: number;
    firstBreak: string | null;
  } | null;
};

/**
 * The audit trail's state for the Activity page's status panel: the chain head and the newest verifier
 * run. Two indexed single-row reads. PIM admins and readers only (it describes the whole directory's trail).
 */
export async function getAuditStatus(ctx: Ctx, actor: Actor): Promise<AuditStatus> {
  if (!(await pimReader(ctx, actor)))
    throw new PimError("Forbidden", "Only PIM administrators and readers see the audit trail's status.");
  const [head] = await ctx.db
    .select({ id: auditEvents.id, hash: auditEvents.hash, at: auditEvents.createdAt })
    .from(auditEvents)
    .orderBy(desc(auditEvents.id))
    .limit(1);
  const [v] = await ctx.db.select().from(auditVerifications).orderBy(desc(auditVerifications.id)).limit(1);
  return {
    head: head ?? null,
    lastVerification: v
      ? {
          finishedAt: v.finishedAt,
          trigger: v.trigger,
          ok: v.ok,
          rowsChecked: v.rowsChecked,
          checkpointsChecked: v.checkpointsChecked,
          breakCount: v.breakCount,
          firstBreak: v.breaks[0]?.message ?? null,
        }
      : null,
  };
}
