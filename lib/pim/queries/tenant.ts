import { eq } from "drizzle-orm";
import { directorySettings } from "@/db/schema";
import { remembered, type Ctx } from "../context";

/** The tenant's display name ("Perparims Cloud Solutions") for blade titles; read once per page render (`ctx.memo`). */
export async function getTenantName(ctx: Ctx): Promise<string> {
  return remembered(ctx, "tenant-name", async () => {
    const [row] = await ctx.db
      .select({ n: directorySettings.tenantName })
      .from(directorySettings)
      .where(eq(directorySettings.id, 1));
    return row?.n ?? "Directory";
  });
}
