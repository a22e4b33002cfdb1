import { eq } from "drizzle-orm";
import { directorySettings } from "@/db/schema";
import type { Ctx } from "../context";

/** The tenant's display name ("Perparims Cloud Solutions") for blade titles. */
export async function getTenantName(ctx: Ctx): Promise<string> {
  const [row] = await ctx.db
    .select({ n: directorySettings.tenantName })
    .from(directorySettings)
    .where(eq(directorySettings.id, 1));
  return row?.n ?? "Directory";
}
