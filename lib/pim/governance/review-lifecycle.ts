/**
 * The life of an access review instance (§10, issue 14): NotStarted → InProgress (items and reviewers are
 * fixed when it starts) → Completed (every item gets its outcome: the last stage's decision, or the
 * no-response outcome) → Applied (denied access removed through the engine's removal, with its rules).
 * The scheduled job (`advanceReviews`) starts, advances stages, reminds, completes, auto-applies and opens
 * the next recurring instance; admins do the same by hand (stop, apply).
 */
import { and, eq, lte, sql, type SQL } from "drizzle-orm";
import {
  accessReviewDefinitions as defs,
  accessReviewInstances as instances,
  accessReviewItems as items,
  type ReviewStage,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { writeAuditRows } from "../audit";
import { systemActor, type Actor, type Ctx } from "../context";
import { isPimError, PimError } from "../errors";
import { emitNotification } from "../notifications/emit";
import { peopleOf } from "../notifications/recipients";
import { ms } from "../rules/constants";
import { rowsOf } from "../sql-rows";
import type { UseCaseMeta } from "../internal/tx";
import { adminActivity } from "../internal/assignment-rules";
import { removeScheduleInTx } from "../use-cases/remove-assignment";
import { loadPimSettings } from "./pim-settings";

export type Definition = typeof defs.$inferSelect;
export type Instance = typeof instances.$inferSelect;

/** Days without sign-in or activation after which a recommendation says Deny. */
export const RECOMMENDATION_DAYS = 30;
const category = "AccessReviews";

const iso = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const uuidArray = (ids: string[]) =>
  sql`array[${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )}]::uuid[]`;

/** The start of the instance after `start` for a recurrence (calendar months: monthly is the same day next month). */
export function nextStart(start: Date, recurrence: Definition["recurrence"]): Date | null {
  const d = new Date(start);
  switch (recurrence) {
    case "oneTime":
      return null;
    case "weekly":
      return new Date(start.getTime() + 7 * ms.DAY);
    case "monthly":
      d.setUTCMonth(d.getUTCMonth() + 1);
      return d;
    case "quarterly":
      d.setUTCMonth(d.getUTCMonth() + 3);
      return d;
    case "semiAnnually":
      d.setUTCMonth(d.getUTCMonth() + 6);
      return d;
    case "annually":
      d.setUTCFullYear(d.getUTCFullYear() + 1);
      return d;
  }
}

/** When stage `k` of an instance starting at `start` ends. */
export function stageEnd(start: Date, stages: ReviewStage[], k: number): Date {
  const days = stages.slice(0, k + 1).reduce((n, s) => n + s.durationDays, 0);
  return new Date(start.getTime() + days * ms.DAY);
}

async function loadForUpdate(
  tx: Db,
  instanceId: string,
  definitionId?: string,
): Promise<{ inst: Instance; def: Definition } | null> {
  const [inst] = await tx.select().from(instances).where(eq(instances.id, instanceId)).for("update");
  if (!inst || (definitionId && inst.definitionId !== definitionId)) return null;
  const [def] = await tx.select().from(defs).where(eq(defs.id, inst.definitionId));
  return def ? { inst, def } : null;
}

export { loadForUpdate as lockInstance };

/** The live schedules the review covers (started, not ended), as one SELECT. */
function coveredSchedules(def: Definition, at: Date): SQL {
  const roles = uuidArray(def.roleDefinitionIds);
  const scope = sql`${def.directoryScopeId ? sql`and s.directory_scope_id = ${def.directoryScopeId}` : sql``}
    ${
      def.principalTypes?.length
        ? sql`and s.principal_type::text in (${sql.join(
            def.principalTypes.map((t) => sql`${t}`),
            sql`, `,
          )})`
        : sql``
    }`;
  const live = sql`s.status in ('Provisioned','Granted') and s.start_date_time <= ${iso(at)} and (s.end_date_time is null or s.end_date_time > ${iso(at)})`;
  const parts: SQL[] = [];
  if (def.assignmentKind !== "active")
    parts.push(sql`select 'eligibility' as kind, s.id, s.principal_id, s.principal_type, s.principal_name, s.role_definition_id,
        s.role_name, s.directory_scope_id, s.start_date_time
      from role_eligibility_schedules s where s.role_definition_id = any(${roles}) and ${live} ${scope}`);
  if (def.assignmentKind !== "eligible")
    parts.push(sql`select 'assignment' as kind, s.id, s.principal_id, s.principal_type, s.principal_name, s.role_definition_id,
        s.role_name, s.directory_scope_id, s.start_date_time
      from role_assignment_schedules s where s.assignment_type = 'Assigned' and s.role_definition_id = any(${roles}) and ${live} ${scope}`);
  return sql.join(parts, sql` union all `);
}

/** Expands reviewer refs (users, groups) to enabled users. */
async function expand(tx: Db, refs: ReviewStage["reviewers"]): Promise<string[]> {
  const people = await peopleOf(
    tx,
    refs.filter((r) => r.type === "User").map((r) => r.id),
    refs.filter((r) => r.type === "Group").map((r) => r.id),
  );
  return people.map((p) => p.userId);
}

/** Fixes the reviewers of every item for stage `k` (set-based; a member never reviews themself unless "self"). */
async function assignReviewers(tx: Db, instanceId: string, stage: ReviewStage, k: number): Promise<void> {
  const base = sql`insert into access_review_item_reviewers (item_id, stage, reviewer_id, instance_id)`;
  const mine = sql`i.instance_id = ${instanceId}::uuid`;
  if (stage.reviewerType === "selected") {
    const ids = await expand(tx, stage.reviewers);
    if (ids.length)
      await tx.execute(sql`${base} select i.id, ${k}, r, i.instance_id from access_review_items i
        cross join unnest(${uuidArray(ids)}) r where ${mine} and r <> i.principal_id on conflict do nothing`);
  } else if (stage.reviewerType === "self") {
    await tx.execute(sql`${base} select i.id, ${k}, i.principal_id, i.instance_id from access_review_items i
      join users u on u.id = i.principal_id and u.account_enabled where ${mine} and i.principal_type = 'User' on conflict do nothing`);
  } else {
    await tx.execute(sql`${base} select i.id, ${k}, u.manager_id, i.instance_id from access_review_items i
      join users u on u.id = i.principal_id join users m on m.id = u.manager_id and m.account_enabled
      where ${mine} and i.principal_type = 'User' and u.manager_id <> i.principal_id on conflict do nothing`);
  }
  const fallback = await expand(tx, stage.fallbackReviewers);
  if (fallback.length)
    await tx.execute(sql`${base} select i.id, ${k}, f, i.instance_id from access_review_items i
      cross join unnest(${uuidArray(fallback)}) f where ${mine} and f <> i.principal_id
        and not exists (select 1 from access_review_item_reviewers r where r.item_id = i.id and r.stage = ${k})
      on conflict do nothing`);
}

/**
 * Starts a NotStarted instance in the caller's transaction: the items are the covered schedules as of now,
 * each with the person's last sign-in and last activation of the role and (when on) a recommendation;
 * every stage's reviewers are fixed; the status becomes InProgress and the stage-1 reviewers are notified.
 */
export async function startInstance(tx: Db, now: Date, inst: Instance, def: Definition): Promise<number> {
  const since = new Date(now.getTime() - RECOMMENDATION_DAYS * ms.DAY);
  const rec = def.recommendationsEnabled
    ? sql`case when k.principal_type <> 'User' then null
          when u.last_sign_in_at is null or u.last_sign_in_at < ${iso(since)} then 'Deny'
          when k.kind = 'eligibility' and k.start_date_time < ${iso(since)} and (la.at is null or la.at < ${iso(since)}) then 'Deny'
          else 'Approve' end`
    : sql`null`;
  const reason = def.recommendationsEnabled
    ? sql`case when k.principal_type <> 'User' then null
          when u.last_sign_in_at is null then 'Never signed in'
          when u.last_sign_in_at < ${iso(since)} then ${`Has not signed in for ${RECOMMENDATION_DAYS} days`}
          when k.kind = 'eligibility' and k.start_date_time < ${iso(since)} and (la.at is null or la.at < ${iso(since)})
            then ${`Has not activated the role in ${RECOMMENDATION_DAYS} days`}
          else 'Signed in and used the role recently' end`
    : sql`null`;
  const res =
    await tx.execute(sql`insert into access_review_items (instance_id, schedule_kind, schedule_id, principal_id,
      principal_type, principal_name, principal_upn, role_definition_id, role_name, directory_scope_id,
      last_activation_at, last_sign_in_at, recommendation, recommendation_reason)
    select ${inst.id}::uuid, k.kind, k.id, k.principal_id, k.principal_type, k.principal_name, u.user_principal_name,
      k.role_definition_id, k.role_name, k.directory_scope_id, la.at, u.last_sign_in_at, ${rec}, ${reason}
    from (${coveredSchedules(def, now)}) k
    left join users u on u.id = k.principal_id
    left join lateral (select max(x.start_date_time) as at from role_assignment_schedules x
      where x.principal_id = k.principal_id and x.role_definition_id = k.role_definition_id
        and x.assignment_type = 'Activated' and x.start_date_time <= ${iso(now)}) la on true
    on conflict do nothing returning id`);
  const count = rowsOf<{ id: string }>(res).length;
  for (const [k, stage] of def.stages.entries()) await assignReviewers(tx, inst.id, stage, k);
  await tx
    .update(instances)
    .set({
      status: "InProgress",
      currentStage: 0,
      stageEndDateTime: stageEnd(inst.startDateTime, def.stages, 0),
      itemCount: count,
      decidedCount: 0,
    })
    .where(eq(instances.id, inst.id));
  await writeAuditRows(tx, now, [
    {
      category,
      activity: "Access review started",
      operation: "accessReview.start",
      actor: systemActor,
      details: { definitionId: def.id, instanceId: inst.id, displayName: def.displayName, items: count },
    },
  ]);
  await emitNotification(tx, now, { type: "reviewStarted", instanceId: inst.id });
  return count;
}

/** The no-response outcome of an item without a decision. */
function noResponse(def: Definition): { outcome: SQL; source: SQL } {
  switch (def.defaultDecision) {
    case "noChange":
      return { outcome: sql`'NotReviewed'`, source: sql`'noResponse'` };
    case "remove":
      return { outcome: sql`'Deny'`, source: sql`'noResponse'` };
    case "approve":
      return { outcome: sql`'Approve'`, source: sql`'noResponse'` };
    case "recommendation":
      return {
        outcome: sql`coalesce(i.recommendation, 'NotReviewed')`,
        source: sql`case when i.recommendation is null then 'noResponse' else 'recommendation' end`,
      };
  }
}

/**
 * Completes an InProgress (or NotStarted) instance in the caller's transaction: each item's outcome is the
 * decision of the latest stage that has one, else the no-response outcome; the status becomes Completed, the
 * admins get the summary, and a recurring review gets its next instance. Returns whether to auto-apply.
 */
export async function completeInstance(
  tx: Db,
  now: Date,
  inst: Instance,
  def: Definition,
  actor: Actor,
  how: "ended" | "stopped",
): Promise<{ autoApply: boolean; nextInstanceId: string | null }> {
  const nr = noResponse(def);
  await tx.execute(sql`update access_review_items i
    set outcome = coalesce(d.decision, ${nr.outcome}),
        outcome_source = case when d.decision is not null then 'reviewer' else ${nr.source} end
    from access_review_items i2
    left join lateral (select x.decision from access_review_decisions x where x.item_id = i2.id
      order by x.stage desc limit 1) d on true
    where i.id = i2.id and i.instance_id = ${inst.id}::uuid`);
  await tx
    .update(instances)
    .set({ status: "Completed", completedAt: now, endDateTime: how === "stopped" ? now : inst.endDateTime })
    .where(eq(instances.id, inst.id));
  let nextInstanceId: string | null = null;
  const next = nextStart(inst.startDateTime, def.recurrence);
  if (next && !def.stoppedAt && (!def.recurrenceEndDateTime || next <= def.recurrenceEndDateTime)) {
    const [row] = await tx
      .insert(instances)
      .values({
        definitionId: def.id,
        sequence: inst.sequence + 1,
        startDateTime: next,
        endDateTime: new Date(next.getTime() + def.durationDays * ms.DAY),
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: instances.id });
    nextInstanceId = row?.id ?? null;
  }
  await writeAuditRows(tx, now, [
    {
      category,
      activity: how === "stopped" ? "Access review stopped" : "Access review completed",
      operation: how === "stopped" ? "accessReview.stop" : "accessReview.complete",
      actor,
      details: { definitionId: def.id, instanceId: inst.id, displayName: def.displayName, nextInstanceId },
    },
  ]);
  await emitNotification(tx, now, { type: "reviewCompleted", instanceId: inst.id });
  return { autoApply: def.autoApply, nextInstanceId };
}

export type ApplyCounts = { removed: number; notRemoved: number; alreadyEnded: number };

/**
 * Applies a Completed instance: every denied item's assignment is removed through the engine's removal
 * (`removeScheduleInTx`: the 5-minute grace and lockout protection hold, audit rows and "removed" notices are
 * written), each item in its own transaction so one refusal (e.g. the last Global Administrator) does not
 * undo the others; the refusal is kept on the item. Then the instance becomes Applied. The caller has
 * authorized the actor (an admin, or the system for auto-apply).
 */
export async function applyInstance(ctx: Ctx, actor: Actor, instanceId: string): Promise<ApplyCounts> {
  const now = ctx.now();
  const head = await ctx.db.transaction(async (tx) => {
    const l = await loadForUpdate(tx, instanceId);
    if (!l) throw new PimError("NotFound", "The access review was not found.");
    if (l.inst.status !== "Completed")
      throw new PimError(
        "Conflict",
        l.inst.status === "Applied"
          ? "The results of this review are already applied."
          : "Results can be applied once the review has ended: stop it first.",
      );
    return l;
  });
  const denied = rowsOf<{
    id: string;
    schedule_kind: "eligibility" | "assignment";
    schedule_id: string;
    reviewer_name: string | null;
    justification: string | null;
    outcome_source: string | null;
  }>(
    await ctx.db
      .execute(sql`select i.id, i.schedule_kind, i.schedule_id, i.outcome_source, d.reviewer_name, d.justification
      from access_review_items i
      left join lateral (select x.reviewer_name, x.justification from access_review_decisions x where x.item_id = i.id
        order by x.stage desc limit 1) d on true
      where i.instance_id = ${instanceId}::uuid and i.outcome = 'Deny' and i.applied_at is null order by i.id`),
  );
  const counts: ApplyCounts = { removed: 0, notRemoved: 0, alreadyEnded: 0 };
  for (const item of denied) {
    const why =
      item.outcome_source === "reviewer"
        ? `denied by ${item.reviewer_name ?? "a reviewer"}${item.justification ? `: ${item.justification}` : ""}`
        : item.outcome_source === "recommendation"
          ? "not reviewed; the recommendation (deny) was applied"
          : "not reviewed; the review removes access of members nobody reviewed";
    const justification = `Access review "${head.def.displayName}": ${why}`.slice(0, 500);
    const meta: UseCaseMeta = {
      operation: "adminRemove",
      activity: adminActivity("Remove", item.schedule_kind),
      justification,
    };
    let result: string;
    try {
      await ctx.db.transaction(async (tx) => {
        await removeScheduleInTx(
          tx,
          now,
          actor,
          {
            kind: item.schedule_kind,
            scheduleId: item.schedule_id,
            justification,
            ticketNumber: undefined,
            ticketSystem: undefined,
          },
          meta,
          { accessReviewInstanceId: instanceId, accessReviewItemId: item.id },
        );
        await tx.update(items).set({ appliedAt: now, applyResult: "Removed" }).where(eq(items.id, item.id));
      });
      counts.removed++;
      continue;
    } catch (e) {
      if (!isPimError(e)) throw e;
      const ended = e.code === "Conflict" && /already ended/.test(e.message);
      if (ended) counts.alreadyEnded++;
      else counts.notRemoved++;
      result = ended ? "Already ended" : `Not removed: ${e.message}`;
    }
    await ctx.db.update(items).set({ appliedAt: now, applyResult: result }).where(eq(items.id, item.id));
  }
  await ctx.db.transaction(async (tx) => {
    const [done] = await tx
      .update(instances)
      .set({ status: "Applied", appliedAt: now })
      .where(and(eq(instances.id, instanceId), eq(instances.status, "Completed")))
      .returning({ id: instances.id });
    if (!done) return;
    await writeAuditRows(tx, now, [
      {
        category,
        activity: "Access review results applied",
        operation: "accessReview.apply",
        actor,
        details: { definitionId: head.def.id, instanceId, displayName: head.def.displayName, ...counts },
      },
    ]);
  });
  return counts;
}

export type ReviewJobCounts = {
  started: number;
  stagesAdvanced: number;
  reminded: number;
  completed: number;
  applied: number;
};

const DUE_BATCH = 20;

/** The scheduled job's review steps; each instance in its own transaction, claimed with SKIP LOCKED. */
export async function advanceReviews(ctx: Ctx): Promise<ReviewJobCounts> {
  const now = ctx.now();
  const counts: ReviewJobCounts = { started: 0, stagesAdvanced: 0, reminded: 0, completed: 0, applied: 0 };
  const claim = (tx: Db, where: SQL) =>
    tx
      .select()
      .from(instances)
      .where(where)
      .orderBy(instances.startDateTime)
      .limit(1)
      .for("update", { skipLocked: true });
  const loop = async (where: SQL, step: (tx: Db, inst: Instance, def: Definition) => Promise<void>) => {
    for (let n = 0; n < DUE_BATCH * 10; n++) {
      const did = await ctx.db.transaction(async (tx) => {
        const [inst] = await claim(tx, where);
        if (!inst) return false;
        const [def] = await tx.select().from(defs).where(eq(defs.id, inst.definitionId));
        if (!def) return false;
        await step(tx, inst, def);
        return true;
      });
      if (!did) return;
    }
  };
  const toApply: string[] = [];
  // Complete what ended (a recurring review's next instance may already be due: started below).
  await loop(
    sql`${instances.status} = 'InProgress' and ${instances.endDateTime} <= ${iso(now)}`,
    async (tx, inst, def) => {
      const r = await completeInstance(tx, now, inst, def, systemActor, "ended");
      counts.completed++;
      if (r.autoApply) toApply.push(inst.id);
    },
  );
  await loop(
    sql`${instances.status} = 'NotStarted' and ${instances.startDateTime} <= ${iso(now)}`,
    async (tx, inst, def) => {
      // A series stopped while its next instance was being scheduled: that instance never opens.
      if (def.stoppedAt && inst.sequence > 1) {
        await tx.delete(instances).where(eq(instances.id, inst.id));
        return;
      }
      await startInstance(tx, now, inst, def);
      counts.started++;
    },
  );
  await loop(
    sql`${instances.status} = 'InProgress' and ${instances.stageEndDateTime} <= ${iso(now)} and ${instances.endDateTime} > ${iso(now)}`,
    async (tx, inst, def) => {
      const k = inst.currentStage + 1;
      if (k >= def.stages.length) {
        await tx.update(instances).set({ stageEndDateTime: inst.endDateTime }).where(eq(instances.id, inst.id));
        return;
      }
      await tx
        .update(instances)
        .set({
          currentStage: k,
          stageEndDateTime: stageEnd(inst.startDateTime, def.stages, k),
          decidedCount: 0,
          remindedAt: null,
        })
        .where(eq(instances.id, inst.id));
      await emitNotification(tx, now, { type: "reviewStarted", instanceId: inst.id });
      counts.stagesAdvanced++;
    },
  );
  // Reminders: once per stage, when at most a third of the stage (and at most the configured days) is left.
  const reminderDays = (await loadPimSettings(ctx.db)).reviewReminderDaysBeforeEnd;
  const candidates = await ctx.db
    .select({ inst: instances, def: defs })
    .from(instances)
    .innerJoin(defs, eq(defs.id, instances.definitionId))
    .where(
      and(
        eq(instances.status, "InProgress"),
        sql`${instances.remindedAt} is null`,
        eq(defs.remindersEnabled, true),
        lte(instances.startDateTime, now),
      ),
    )
    .limit(200);
  for (const { inst, def } of candidates) {
    const stageStart =
      inst.currentStage === 0 ? inst.startDateTime : stageEnd(inst.startDateTime, def.stages, inst.currentStage - 1);
    const end = inst.stageEndDateTime ?? inst.endDateTime;
    const lead = Math.min(reminderDays * ms.DAY, (end.getTime() - stageStart.getTime()) / 3);
    if (end.getTime() - now.getTime() > lead) continue;
    await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .update(instances)
        .set({ remindedAt: now })
        .where(and(eq(instances.id, inst.id), sql`${instances.remindedAt} is null`))
        .returning({ id: instances.id });
      if (row) {
        await emitNotification(tx, now, { type: "reviewReminder", instanceId: inst.id });
        counts.reminded++;
      }
    });
  }
  for (const id of toApply) {
    await applyInstance(ctx, systemActor, id).then(
      () => counts.applied++,
      (e: unknown) => {
        if (!(isPimError(e) && e.code === "Conflict")) throw e;
      },
    );
  }
  return counts;
}
