import { sql } from "drizzle-orm";
import { getDbHandle } from "@/lib/server-db";

export const dynamic = "force-dynamic";

/** Readiness for tests and load balancers: answers 200 only when the database answers. */
export async function GET() {
  try {
    const { db, driver } = await getDbHandle();
    await db.execute(sql`select 1`);
    return Response.json({ status: "ok", database: driver });
  } catch {
    return Response.json({ status: "unavailable" }, { status: 503 });
  }
}
