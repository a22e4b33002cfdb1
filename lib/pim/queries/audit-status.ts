import { sql } from "drizzle-orm";
import { auditEvents, auditVerifications } from "@/db/schema";
import type { Actor, Ctx } from "../context";
import { pimReader } from "./read-scope";
import { PimError } from "../errors";
import { rowsOf } from "../sql-rows";

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
 * run, two indexed single-row reads in ONE statement. PIM admins and readers only (it describes the whole
 * directory's trail).
 */
export async function getAuditStatus(ctx: Ctx, actor: Actor): Promise<AuditStatus> {
  if (!(await pimReader(ctx, actor)))
    throw new PimError("Forbidden", "Only PIM administrators and readers see the audit trail's status.");
  const iso = (col: string) => sql.raw(`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
  const [row] = rowsOf<{
    head_id: string | number | null;
    head_hash: string | null;
    head_at: string | null;
    finished_at: string | null;
    trigger: string | null;
    ok: boolean | null;
    rows_checked: string | number | null;
    checkpoints_checked: number | null;
    break_count: number | null;
    first_break: string | null;
  }>(
    await ctx.db.execute(sql`
      select h.id as head_id, h.hash as head_hash, ${iso("h.created_at")} as head_at,
             ${iso("v.finished_at")} as finished_at, v.trigger, v.ok, v.rows_checked, v.checkpoints_checked,
             v.break_count, v.breaks -> 0 ->> 'message' as first_break
        from (select 1) one
        left join lateral (select id, hash, created_at from ${auditEvents} order by id desc limit 1) h on true
        left join lateral (select * from ${auditVerifications} order by id desc limit 1) v on true`),
  );
  return {
    head:
      row?.head_id != null && row.head_hash && row.head_at
        ? { id: Number(row.head_id), hash: row.head_hash, at: new Date(row.head_at) }
        : null,
    lastVerification:
      row?.finished_at != null
        ? {
            finishedAt: new Date(row.finished_at),
            trigger: row.trigger ?? "",
            ok: row.ok === true,
            rowsChecked: Number(row.rows_checked ?? 0),
            checkpointsChecked: Number(row.checkpoints_checked ?? 0),
            breakCount: Number(row.break_count ?? 0),
            firstBreak: row.first_break ?? null,
          }
        : null,
  };
}
