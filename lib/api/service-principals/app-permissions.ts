import { asc, eq } from "drizzle-orm";
import { servicePrincipalPermissions as spp, users } from "@/db/schema";
import type { Ctx } from "@/lib/pim/context";

export type AppPermissionRow = { permission: string; grantedAt: Date; grantedBy: string | null };

/** The application permissions granted to a service principal (Service principals page), by name. One query. */
export async function listAppPermissions(ctx: Ctx, servicePrincipalId: string): Promise<AppPermissionRow[]> {
  return ctx.db
    .select({ permission: spp.permission, grantedAt: spp.grantedAt, grantedBy: users.displayName })
    .from(spp)
    .leftJoin(users, eq(users.id, spp.grantedBy))
    .where(eq(spp.servicePrincipalId, servicePrincipalId))
    .orderBy(asc(spp.permission));
}
