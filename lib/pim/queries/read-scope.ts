import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { principalAndGroups } from "../access/check-access";
import { pimRights } from "../authz";
import { isSystemActor, remembered, type Actor, type Ctx } from "../context";
import { forbidden } from "../errors";

/**
 * Authorization and shared predicates of the read models. A read model either asserts the actor may see it
 * (`assertPimReader`) or scopes its `where` to the actor (`mine`); pages, CSV routes and Graph handlers
 * never repeat the check.
 */

/** What the actor may see in PIM, decided once per read (one statement each). */
/** `groupOwner`: owns a group now (directory owner or active PIM ownership): the Groups page opens to them. */
export type ReadRights = { reader: boolean; admin: boolean; groupOwner: boolean };

/**
 * Reader and admin at once, in one statement (`pimRights`: the rules of `isPimReader` and `isPimAdmin`), asked
 * once per page render however many read models and the chrome ask (`ctx.memo`).
 */
export async function readRights(ctx: Ctx, actor: Actor): Promise<ReadRights> {
  if (isSystemActor(actor)) return { reader: false, admin: false, groupOwner: false };
  return remembered(ctx, `pim-rights:${actor.id}`, () => pimRights(ctx.db, actor.id, ctx.now()));
}

/** `isPimReader(ctx, actor)` through `readRights` (one statement per render, shared). */
export async function pimReader(ctx: Ctx, actor: Actor): Promise<boolean> {
  return (await readRights(ctx, actor)).reader;
}

/** Throws `Forbidden` unless the actor holds a PIM reader role (GA, PRA, Security Administrator/Reader, Global Reader) now. */
export async function assertPimReader(ctx: Ctx, actor: Actor, what = "this"): Promise<void> {
  if (!(await pimReader(ctx, actor))) {
    throw forbidden(
      `Only an active Global Administrator, Privileged Role Administrator, Security Administrator, Security Reader or Global Reader may see ${what}.`,
    );
  }
}

/** A schedule table or an alias of one (`alias(roleEligibilitySchedules, "e")`). */
type ScheduleTable = { status: AnyPgColumn; startDateTime: AnyPgColumn; endDateTime: AnyPgColumn };

/**
 * A schedule that has not ended at `at` and was not canceled or removed: what the Eligible and Active lists
 * show (a scheduled one that starts later included). Status is only the sweep's record; the window decides.
 */
export const liveSchedule = (t: ScheduleTable, at: Date): SQL =>
  sql`${t.status} in ('Provisioned', 'Granted') and (${t.endDateTime} is null or ${t.endDateTime} > ${at.toISOString()}::timestamptz)`;

/** A schedule in force at `at` (`start <= at < end`): what access and "active now" counts read. */
export const inForceSchedule = (t: ScheduleTable, at: Date): SQL =>
  sql`${liveSchedule(t, at)} and ${t.startDateTime} <= ${at.toISOString()}::timestamptz`;

/**
 * The actor's own rows or their groups' rows, as `principal_id IN (me, my groups)`: one index probe per
 * principal (`... = me OR ... IN (groups)` made PostgreSQL scan the whole schedule table). With `at`, the groups
 * whose PIM membership the actor holds at `at` count too (PIM for Groups).
 */
export const heldByMeOrMyGroups = (principalColumn: AnyPgColumn, me: string, at?: Date): SQL =>
  sql`${principalColumn} in ${principalAndGroups(me, at)}`;

/** `count(*)` of a sub-select stopped at `cap + 1` rows: the page shows "1,000+" instead of counting millions. */
export const cappedCount = (subSelect: SQL, cap: number): SQL =>
  sql`(select count(*)::int from (${subSelect} limit ${cap + 1}) capped)`;

/** A count with its cap: `exact` false means "at least `n`" (shown as "1,000+"). */
export type CappedCount = { n: number; exact: boolean };
export const toCapped = (raw: number | string | null | undefined, cap: number): CappedCount => {
  const n = Number(raw ?? 0);
  return n > cap ? { n: cap, exact: false } : { n, exact: true };
};
