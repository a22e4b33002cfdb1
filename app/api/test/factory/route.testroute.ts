import { z } from "zod";
import { getCtx } from "@/lib/server-db";
import { makeGroup, makeSchedule, makeUser } from "@/e2e/seed/factories";
import { authorized } from "../authorized";

/**
 * Test builds only (a `.testroute.ts` file, see next.config.ts): the e2e specs' factories. The server process
 * holds the database (PGlite allows one process per folder), so specs create their people and data here.
 * The caller must hold CRON_SECRET.
 */
export const dynamic = "force-dynamic";

const input = z.discriminatedUnion("op", [
  z.object({
    op: z.literal("user"),
    displayName: z.string().min(1).max(200),
    userPrincipalName: z.string().min(3).max(320),
    enrolled: z.boolean().default(true),
    enabled: z.boolean().default(true),
    jobTitle: z.string().max(200).optional(),
    department: z.string().max(200).optional(),
  }),
  z.object({
    op: z.enum(["eligibility", "assignment"]),
    principalId: z.uuid(),
    role: z.string().min(1).max(200),
    scope: z.string().min(1).max(400).default("/"),
    endDays: z.number().int().min(1).max(3650).nullable().default(null),
  }),
  z.object({
    op: z.literal("group"),
    displayName: z.string().min(1).max(200),
    activeRoles: z.array(z.string().min(1).max(200)).max(10).default([]),
    isAssignableToRole: z.boolean().default(true),
    /** Directory owners of the group (users' ids). */
    ownerIds: z.array(z.uuid()).max(10).default([]),
  }),
]);

export async function POST(req: Request) {
  if (!authorized(req)) return Response.json({ error: "unauthorized" }, { status: 401 });
  const parsed = input.safeParse(await req.json().catch(() => null));
  if (!parsed.success) return Response.json({ error: z.prettifyError(parsed.error) }, { status: 400 });
  const { db, now } = await getCtx();
  const o = parsed.data;
  try {
    if (o.op === "user") return Response.json(await makeUser(db, now(), o));
    if (o.op === "group") return Response.json(await makeGroup(db, now(), o));
    return Response.json(await makeSchedule(db, now(), { ...o, kind: o.op }));
  } catch (err) {
    return Response.json({ error: err instanceof Error ? err.message : String(err) }, { status: 409 });
  }
}
