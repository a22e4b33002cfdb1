/**
 * Read models of access reviews: the admin list and detail (PIM readers), the items of an instance with
 * every stage's decision (results, CSV), and the reviewer's own open reviews and items (Review access).
 * Keyset paging on indexed keys; a fixed number of statements per page.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { ReviewStage } from "@/db/schema";
import type { PimSettings } from "@/lib/validation/governance";
import type { Actor, Ctx } from "../context";
import { PimError } from "../errors";
import { parsePimSettings } from "../governance/pim-settings";
import { rowsOf, toDate } from "../sql-rows";
import { assertPimReader, readRights } from "./read-scope";

export type ReviewStatus = "NotStarted" | "InProgress" | "Completed" | "Applied";

export type InstanceSummary = {
  id: string;
  sequence: number;
  status: ReviewStatus;
  startDateTime: Date;
  endDateTime: Date;
  currentStage: number;
  stageEndDateTime: Date | null;
  itemCount: number;
  decidedCount: number;
  completedAt: Date | null;
  appliedAt: Date | null;
};

export type DefinitionSummary = {
  id: string;
  displayName: string;
  description: string;
  roleNames: string[];
  directoryScopeId: string | null;
  assignmentKind: "eligible" | "active" | "all";
  /** Kinds of principal reviewed; null = every kind. */
  principalTypes: string[] | null;
  stages: ReviewStage[];
  recurrence: string;
  recurrenceEndDateTime: Date | null;
  autoApply: boolean;
  defaultDecision: string;
  justificationRequired: boolean;
  recommendationsEnabled: boolean;
  remindersEnabled: boolean;
  durationDays: number;
  createdAt: Date;
  createdByName: string | null;
  /** When an admin stopped the series (no further instance opens), or null. */
  stoppedAt: Date | null;
  latest: InstanceSummary | null;
};

type Raw = Record<string, unknown>;
const d = (v: unknown) => toDate(v as string | Date | null);
const num = (v: unknown) => Number(v ?? 0);
const json = <T>(v: unknown): T => (typeof v === "string" ? (JSON.parse(v) as T) : (v as T));
/** A text[] as the driver gives it (an array, or `{a,b}` text from some paths); null stays null. */
const pgArray = (v: unknown): string[] | null =>
  v == null
    ? null
    : Array.isArray(v)
      ? v.map(String)
      : String(v)
          .replace(/^\{|\}$/g, "")
          .split(",")
          .filter(Boolean);

function toInstance(r: Raw | null | undefined): InstanceSummary | null {
  if (!r || !r.id) return null;
  return {
    id: String(r.id),
    sequence: num(r.sequence),
    status: r.status as ReviewStatus,
    startDateTime: d(r.start_date_time) ?? new Date(0),
    endDateTime: d(r.end_date_time) ?? new Date(0),
    currentStage: num(r.current_stage),
    stageEndDateTime: d(r.stage_end_date_time),
    itemCount: num(r.item_count),
    decidedCount: num(r.decided_count),
    completedAt: d(r.completed_at),
    appliedAt: d(r.applied_at),
  };
}

function toDefinition(r: Raw): DefinitionSummary {
  return {
    id: String(r.id),
    displayName: String(r.display_name),
    description: String(r.description ?? ""),
    roleNames: json<string[] | null>(r.role_names) ?? [],
    directoryScopeId: (r.directory_scope_id as string | null) ?? null,
    assignmentKind: r.assignment_kind as DefinitionSummary["assignmentKind"],
    principalTypes: pgArray(r.principal_types),
    stages: json<ReviewStage[]>(r.stages),
    recurrence: String(r.recurrence),
    recurrenceEndDateTime: d(r.recurrence_end_date_time),
    autoApply: r.auto_apply === true,
    defaultDecision: String(r.default_decision),
    justificationRequired: r.justification_required === true,
    recommendationsEnabled: r.recommendations_enabled === true,
    remindersEnabled: r.reminders_enabled === true,
    durationDays: num(r.duration_days),
    createdAt: d(r.created_at) ?? new Date(0),
    createdByName: (r.created_by_name as string | null) ?? null,
    stoppedAt: d(r.stopped_at),
    latest: toInstance(json<Raw | null>(r.latest)),
  };
}

const definitionColumns = sql`d.*, (select json_agg(r.display_name order by r.display_name) from role_definitions r
    where r.id = any(d.role_definition_ids)) as role_names,
  (select u.display_name from users u where u.id = d.created_by) as created_by_name`;

export const reviewListCursor = z.object({ c: z.string().datetime(), id: z.uuid() });
export type ReviewListCursor = z.infer<typeof reviewListCursor>;

/** Access reviews, newest first (keyset on created_at, id), each with its latest instance. PIM readers. */
export async function listAccessReviews(
  ctx: Ctx,
  actor: Actor,
  q: { cursor?: ReviewListCursor | null; limit?: number } = {},
): Promise<{ rows: DefinitionSummary[]; nextCursor: ReviewListCursor | null; viewer: { admin: boolean } }> {
  const rights = await readRights(ctx, actor);
  if (!rights.reader) throw new PimError("Forbidden", "Only PIM administrators and readers may see access reviews.");
  const limit = Math.min(Math.max(q.limit ?? 25, 1), 100);
  const after = q.cursor ? sql`where (d.created_at, d.id) < (${q.cursor.c}::timestamptz, ${q.cursor.id}::uuid)` : sql``;
  const res = await ctx.db.execute(sql`select ${definitionColumns},
      (select row_to_json(i) from access_review_instances i where i.definition_id = d.id order by i.sequence desc limit 1) as latest
    from access_review_definitions d ${after} order by d.created_at desc, d.id desc limit ${limit + 1}`);
  const raw = rowsOf<Raw>(res);
  const rows = raw.slice(0, limit).map(toDefinition);
  const last = rows[rows.length - 1];
  return {
    rows,
    nextCursor: raw.length > limit && last ? { c: last.createdAt.toISOString(), id: last.id } : null,
    viewer: { admin: rights.admin },
  };
}

/** The most administrative units the new-review form offers (a select; more are reached by their id). */
export const REVIEW_FORM_SCOPE_CAP = 500;

export type ReviewFormOptions = {
  roles: { id: string; name: string }[];
  scopes: { directoryScopeId: string; label: string }[];
  defaults: { durationDays: number; defaultDecision: PimSettings["defaultReviewDecision"] };
};

/**
 * The Access reviews page in one statement: the list page (as `listAccessReviews`) and, for admins, what the
 * new-review form offers (the enabled roles, the directory and up to REVIEW_FORM_SCOPE_CAP administrative units,
 * the PIM-wide review defaults). PIM readers; every part bounded (LIMITs on the big tables, small tables whole).
 */
export async function loadAccessReviewsPage(
  ctx: Ctx,
  actor: Actor,
  q: { cursor?: ReviewListCursor | null; limit?: number } = {},
): Promise<{
  rows: DefinitionSummary[];
  nextCursor: ReviewListCursor | null;
  viewer: { admin: boolean };
  form: ReviewFormOptions;
}> {
  const rights = await readRights(ctx, actor);
  if (!rights.reader) throw new PimError("Forbidden", "Only PIM administrators and readers may see access reviews.");
  const limit = Math.min(Math.max(q.limit ?? 25, 1), 100);
  const after = q.cursor ? sql`where (d.created_at, d.id) < (${q.cursor.c}::timestamptz, ${q.cursor.id}::uuid)` : sql``;
  const res = await ctx.db.execute(sql`with page as (select ${definitionColumns},
      (select row_to_json(i) from access_review_instances i where i.definition_id = d.id order by i.sequence desc limit 1) as latest
      from access_review_definitions d ${after} order by d.created_at desc, d.id desc limit ${limit + 1})
    select (select json_agg(p order by p.created_at desc, p.id desc) from page p) as rows,
      (select json_agg(json_build_object('id', r.id, 'name', r.display_name) order by r.display_name)
        from role_definitions r where r.is_enabled) as roles,
      (select json_agg(json_build_object('id', a.id, 'name', a.display_name) order by a.display_name, a.id)
        from (select id, display_name from administrative_units order by display_name, id limit ${REVIEW_FORM_SCOPE_CAP}) a) as units,
      (select s.pim_settings from directory_settings s where s.id = 1) as pim_settings`);
  const row = rowsOf<Raw>(res)[0] ?? {};
  const raw = json<Raw[] | null>(row.rows) ?? [];
  const rows = raw.slice(0, limit).map(toDefinition);
  const last = rows[rows.length - 1];
  const settings = parsePimSettings(json<Record<string, unknown> | null>(row.pim_settings));
  return {
    rows,
    nextCursor: raw.length > limit && last ? { c: last.createdAt.toISOString(), id: last.id } : null,
    viewer: { admin: rights.admin },
    form: {
      roles: json<{ id: string; name: string }[] | null>(row.roles) ?? [],
      scopes: [
        { directoryScopeId: "/", label: "Directory" },
        ...(json<{ id: string; name: string }[] | null>(row.units) ?? []).map((a) => ({
          directoryScopeId: `/administrativeUnits/${a.id}`,
          label: `${a.name} (Administrative unit)`,
        })),
      ],
      defaults: { durationDays: settings.defaultReviewDurationDays, defaultDecision: settings.defaultReviewDecision },
    },
  };
}

export type OutcomeCounts = { Approve: number; Deny: number; DontKnow: number; NotReviewed: number };

/**
 * One review: its definition, its instances (newest 24), the chosen instance (default the latest) and, once
 * it has ended, its outcome counts. PIM readers.
 */
export async function getAccessReview(ctx: Ctx, actor: Actor, definitionId: string, instanceId?: string | null) {
  const rights = await readRights(ctx, actor);
  if (!rights.reader) throw new PimError("Forbidden", "Only PIM administrators and readers may see access reviews.");
  if (!z.uuid().safeParse(definitionId).success) throw new PimError("NotFound", "The access review was not found.");
  const res = await ctx.db.execute(sql`select ${definitionColumns},
      (select json_agg(x order by x.sequence desc) from (select * from access_review_instances i
        where i.definition_id = d.id order by i.sequence desc limit 24) x) as instances
    from access_review_definitions d where d.id = ${definitionId}::uuid`);
  const row = rowsOf<Raw>(res)[0];
  if (!row) throw new PimError("NotFound", "The access review was not found.");
  const def = toDefinition({ ...row, latest: null });
  const list = (json<Raw[] | null>(row.instances) ?? [])
    .map((i) => toInstance(i))
    .filter((i): i is InstanceSummary => !!i);
  const selected = (instanceId ? list.find((i) => i.id === instanceId) : list[0]) ?? list[0] ?? null;
  let outcomes: OutcomeCounts | null = null;
  if (selected && (selected.status === "Completed" || selected.status === "Applied")) {
    const c = rowsOf<{ outcome: keyof OutcomeCounts; n: number | string }>(
      await ctx.db.execute(
        sql`select outcome, count(*) as n from access_review_items where instance_id = ${selected.id}::uuid group by outcome`,
      ),
    );
    outcomes = { Approve: 0, Deny: 0, DontKnow: 0, NotReviewed: 0 };
    for (const x of c) if (x.outcome in outcomes) outcomes[x.outcome] = Number(x.n);
  }
  return { definition: def, instances: list, instance: selected, outcomes, viewer: { admin: rights.admin } };
}

export type StageDecision = {
  stage: number;
  decision: "Approve" | "Deny" | "DontKnow";
  reviewerName: string;
  justification: string | null;
  decidedAt: Date;
};

export type ReviewItemView = {
  id: string;
  scheduleKind: "eligibility" | "assignment";
  scheduleId: string;
  principalId: string;
  principalType: string;
  principalName: string;
  principalUpn: string | null;
  roleName: string;
  directoryScopeId: string;
  recommendation: "Approve" | "Deny" | null;
  recommendationReason: string | null;
  lastActivationAt: Date | null;
  lastSignInAt: Date | null;
  outcome: string | null;
  outcomeSource: string | null;
  appliedAt: Date | null;
  applyResult: string | null;
  decisions: StageDecision[];
  reviewers: string[];
};

export const itemCursor = z.object({ n: z.string().max(400), id: z.uuid() });
export type ItemCursor = z.infer<typeof itemCursor>;

function toItem(r: Raw): ReviewItemView {
  const decisions = (json<Raw[] | null>(r.decisions) ?? []).map((x) => ({
    stage: num(x.stage),
    decision: x.decision as StageDecision["decision"],
    reviewerName: String(x.reviewer_name),
    justification: (x.justification as string | null) ?? null,
    decidedAt: d(x.decided_at) ?? new Date(0),
  }));
  return {
    id: String(r.id),
    scheduleKind: r.schedule_kind as ReviewItemView["scheduleKind"],
    scheduleId: String(r.schedule_id),
    principalId: String(r.principal_id),
    principalType: String(r.principal_type),
    principalName: String(r.principal_name),
    principalUpn: (r.principal_upn as string | null) ?? null,
    roleName: String(r.role_name),
    directoryScopeId: String(r.directory_scope_id),
    recommendation: (r.recommendation as ReviewItemView["recommendation"]) ?? null,
    recommendationReason: (r.recommendation_reason as string | null) ?? null,
    lastActivationAt: d(r.last_activation_at),
    lastSignInAt: d(r.last_sign_in_at),
    outcome: (r.outcome as string | null) ?? null,
    outcomeSource: (r.outcome_source as string | null) ?? null,
    appliedAt: d(r.applied_at),
    applyResult: (r.apply_result as string | null) ?? null,
    decisions: decisions.sort((a, b) => a.stage - b.stage),
    reviewers: json<string[] | null>(r.reviewers) ?? [],
  };
}

const itemColumns = sql`i.*,
  (select json_agg(json_build_object('stage', x.stage, 'decision', x.decision, 'reviewer_name', x.reviewer_name,
     'justification', x.justification, 'decided_at', x.decided_at)) from access_review_decisions x where x.item_id = i.id) as decisions`;

async function itemPage(
  ctx: Ctx,
  where: ReturnType<typeof sql>,
  extra: ReturnType<typeof sql>,
  cursor: ItemCursor | null | undefined,
  limit: number,
) {
  const after = cursor ? sql`and (i.principal_name, i.id) > (${cursor.n}, ${cursor.id}::uuid)` : sql``;
  const res = await ctx.db.execute(sql`select ${itemColumns} ${extra} from access_review_items i
    where ${where} ${after} order by i.principal_name, i.id limit ${limit + 1}`);
  const raw = rowsOf<Raw>(res);
  const rows = raw.slice(0, limit).map(toItem);
  const last = rows[rows.length - 1];
  return { rows, nextCursor: raw.length > limit && last ? { n: last.principalName, id: last.id } : null };
}

/** The items of an instance with every stage's decision and the reviewers' names (results, CSV). PIM readers. */
export async function listReviewItems(
  ctx: Ctx,
  actor: Actor,
  q: { instanceId: string; cursor?: ItemCursor | null; limit?: number },
) {
  await assertPimReader(ctx, actor, "access review results");
  if (!z.uuid().safeParse(q.instanceId).success) throw new PimError("NotFound", "The access review was not found.");
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 1000);
  return itemPage(
    ctx,
    sql`i.instance_id = ${q.instanceId}::uuid`,
    sql`, (select json_agg(distinct u.display_name) from access_review_item_reviewers r join users u on u.id = r.reviewer_id
        where r.item_id = i.id) as reviewers`,
    q.cursor,
    limit,
  );
}

export type MyReview = {
  instanceId: string;
  definitionId: string;
  displayName: string;
  description: string;
  endDateTime: Date;
  stageEndDateTime: Date | null;
  currentStage: number;
  stageCount: number;
  justificationRequired: boolean;
  toReview: number;
  pending: number;
  /** Undecided items with a recommendation ("Accept recommendations" decides these). */
  recommendable: number;
};

/** Review access: the reviews in progress where the actor reviews someone in the current stage (at most 100). */
export async function listMyReviews(ctx: Ctx, actor: Actor): Promise<MyReview[]> {
  const res = await ctx.db.execute(sql`select i.id as instance_id, d.id as definition_id, d.display_name, d.description,
      i.end_date_time, i.stage_end_date_time, i.current_stage, jsonb_array_length(d.stages) as stage_count,
      d.justification_required, count(*) as to_review,
      count(*) filter (where not exists (select 1 from access_review_decisions x where x.item_id = r.item_id and x.stage = r.stage)) as pending,
      count(*) filter (where it.recommendation is not null and not exists (select 1 from access_review_decisions x
        where x.item_id = r.item_id and x.stage = r.stage)) as recommendable
    from access_review_item_reviewers r
    join access_review_items it on it.id = r.item_id
    join access_review_instances i on i.id = r.instance_id and i.status = 'InProgress' and r.stage = i.current_stage
    join access_review_definitions d on d.id = i.definition_id
    where r.reviewer_id = ${actor.id}::uuid
    group by i.id, d.id order by i.end_date_time, i.id limit 100`);
  return rowsOf<Raw>(res).map((r) => ({
    instanceId: String(r.instance_id),
    definitionId: String(r.definition_id),
    displayName: String(r.display_name),
    description: String(r.description ?? ""),
    endDateTime: d(r.end_date_time) ?? new Date(0),
    stageEndDateTime: d(r.stage_end_date_time),
    currentStage: num(r.current_stage),
    stageCount: num(r.stage_count),
    justificationRequired: r.justification_required === true,
    toReview: num(r.to_review),
    pending: num(r.pending),
    recommendable: num(r.recommendable),
  }));
}

/**
 * One review as its reviewer sees it: the items the actor reviews in the current stage (with earlier stages'
 * decisions and the recommendation), keyset paged. Anyone who is not a reviewer there gets NotFound.
 */
export async function getMyReview(
  ctx: Ctx,
  actor: Actor,
  q: { instanceId: string; cursor?: ItemCursor | null; limit?: number },
) {
  if (!z.uuid().safeParse(q.instanceId).success) throw new PimError("NotFound", "The access review was not found.");
  const mine = (await listMyReviews(ctx, actor)).find((r) => r.instanceId === q.instanceId);
  if (!mine) throw new PimError("NotFound", "You have no members to review in this access review.");
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 200);
  const page = await itemPage(
    ctx,
    sql`i.instance_id = ${q.instanceId}::uuid and exists (select 1 from access_review_item_reviewers r
      where r.item_id = i.id and r.stage = ${mine.currentStage} and r.reviewer_id = ${actor.id}::uuid)`,
    sql``,
    q.cursor,
    limit,
  );
  return { review: mine, ...page };
}
