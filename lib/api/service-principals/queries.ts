import { and, asc, desc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import {
  roleAssignmentSchedules as ras,
  roleDefinitions,
  servicePrincipalSecrets,
  servicePrincipals,
} from "@/db/schema";
import { inForceAt } from "@/lib/pim/access/check-access";
import type { Actor, Ctx } from "@/lib/pim/context";
import { forbidden } from "@/lib/pim/errors";
import { cappedCount, readRights, toCapped, type CappedCount, type ReadRights } from "@/lib/pim/queries/read-scope";
import { keysetPage, nameKeyset } from "@/lib/pim/queries/name-cursor";
import { rowsOf } from "@/lib/pim/sql-rows";

export type ServicePrincipalRow = {
  id: string;
  appId: string;
  displayName: string;
  description: string | null;
  accountEnabled: boolean;
  createdAt: Date;
  activeSecrets: number;
  /** Roles held now at any scope (service principals hold active assignments only). */
  roles: string[];
};

export type ClientSecretRow = {
  id: string;
  displayName: string;
  hint: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
};

/**
 * Who may see the Service principals pages: PIM readers read, PIM admins manage (the menu shows the entry to
 * the same people). Throws Forbidden for everyone else; one statement.
 */
export async function assertServicePrincipalViewer(ctx: Ctx, actor: Actor): Promise<ReadRights> {
  const rights = await readRights(ctx, actor);
  if (!rights.reader) {
    throw forbidden(
      "Service principals are visible to Privileged Role Administrators, Global Administrators and security readers.",
    );
  }
  return rights;
}

/** Above this the footer says "1,000+". */
export const SERVICE_PRINCIPAL_COUNT_CAP = 1000;
export const SERVICE_PRINCIPALS_PAGE_SIZE = 50;

export type ServicePrincipalPage = {
  rows: ServicePrincipalRow[];
  total: CappedCount;
  nextCursor: string | null;
  prevCursor: string | null;
  viewer: ReadRights;
};

/**
 * The Service principals page (PIM readers, else Forbidden): the service principals by name, keyset-paged on
 * `(display_name, id)` (one range read of service_principals_name_idx at any depth), each with its usable
 * secrets and the roles it holds now, and a capped total. Five statements (the rights one) whatever the page size or depth.
 */
export async function listServicePrincipals(
  ctx: Ctx,
  actor: Actor,
  input: { cursor?: string | null; limit?: number } = {},
): Promise<ServicePrincipalPage> {
  const viewer = await assertServicePrincipalViewer(ctx, actor);
  const now = ctx.now();
  const limit = Math.min(Math.max(input.limit ?? SERVICE_PRINCIPALS_PAGE_SIZE, 1), 200);
  const {
    cursor: cur,
    backward,
    after: position,
  } = nameKeyset(input.cursor, servicePrincipals.displayName, servicePrincipals.id);
  const dir = backward ? desc : asc;
  const [sps, totals] = await Promise.all([
    ctx.db
      .select()
      .from(servicePrincipals)
      .where(position)
      .orderBy(dir(servicePrincipals.displayName), dir(servicePrincipals.id))
      .limit(limit + 1),
    ctx.db.execute(
      sql`select ${cappedCount(sql`select 1 from ${servicePrincipals}`, SERVICE_PRINCIPAL_COUNT_CAP)} as n`,
    ),
  ]);
  const { page, ...cursors } = keysetPage(sps, limit, cur, (r) => ({ n: r.displayName, i: r.id }));
  const ids = page.map((s) => s.id);
  const [secrets, roles] =
    ids.length === 0
      ? [[], new Map<string, string[]>()]
      : await Promise.all([
          ctx.db
            .select({ spId: servicePrincipalSecrets.servicePrincipalId, n: sql<number>`count(*)::int` })
            .from(servicePrincipalSecrets)
            .where(
              and(
                inArray(servicePrincipalSecrets.servicePrincipalId, ids),
                isNull(servicePrincipalSecrets.revokedAt),
                gt(servicePrincipalSecrets.expiresAt, now),
              ),
            )
            .groupBy(servicePrincipalSecrets.servicePrincipalId),
          rolesHeldNow(ctx, ids),
        ]);
  const count = new Map(secrets.map((s) => [s.spId, Number(s.n)]));
  return {
    viewer,
    total: toCapped(rowsOf<{ n: number }>(totals)[0]?.n, SERVICE_PRINCIPAL_COUNT_CAP),
    ...cursors,
    rows: page.map((s) => ({
      id: s.id,
      appId: s.appId,
      displayName: s.displayName,
      description: s.description,
      accountEnabled: s.accountEnabled,
      createdAt: s.createdAt,
      activeSecrets: count.get(s.id) ?? 0,
      roles: roles.get(s.id) ?? [],
    })),
  };
}

async function rolesHeldNow(ctx: Ctx, ids: string[]): Promise<Map<string, string[]>> {
  const rows = await ctx.db
    .selectDistinct({ spId: ras.principalId, name: roleDefinitions.displayName })
    .from(ras)
    .innerJoin(roleDefinitions, eq(roleDefinitions.id, ras.roleDefinitionId))
    .where(and(inArray(ras.principalId, ids), inForceAt(ctx.now())))
    .orderBy(asc(roleDefinitions.displayName));
  const out = new Map<string, string[]>();
  for (const r of rows) (out.get(r.spId) ?? out.set(r.spId, []).get(r.spId))?.push(r.name);
  return out;
}

/** One service principal with its client secrets (newest first; hashes never leave the database), or null. */
export async function getServicePrincipal(
  ctx: Ctx,
  id: string,
): Promise<(ServicePrincipalRow & { secrets: ClientSecretRow[] }) | null> {
  const [sp] = await ctx.db.select().from(servicePrincipals).where(eq(servicePrincipals.id, id)).limit(1);
  if (!sp) return null;
  const [secrets, roles] = await Promise.all([
    ctx.db
      .select({
        id: servicePrincipalSecrets.id,
        displayName: servicePrincipalSecrets.displayName,
        hint: servicePrincipalSecrets.hint,
        scopes: servicePrincipalSecrets.scopes,
        createdAt: servicePrincipalSecrets.createdAt,
        expiresAt: servicePrincipalSecrets.expiresAt,
        revokedAt: servicePrincipalSecrets.revokedAt,
      })
      .from(servicePrincipalSecrets)
      .where(eq(servicePrincipalSecrets.servicePrincipalId, id))
      .orderBy(desc(servicePrincipalSecrets.createdAt), desc(servicePrincipalSecrets.id))
      .limit(100),
    rolesHeldNow(ctx, [id]),
  ]);
  const now = ctx.now();
  return {
    id: sp.id,
    appId: sp.appId,
    displayName: sp.displayName,
    description: sp.description,
    accountEnabled: sp.accountEnabled,
    createdAt: sp.createdAt,
    activeSecrets: secrets.filter((s) => !s.revokedAt && s.expiresAt > now).length,
    roles: roles.get(id) ?? [],
    secrets,
  };
}
