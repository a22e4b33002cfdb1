/**
 * The Roles and Overview read models in-process: `npx tsx bench/roles-overview.ts <database-url> [before|after]`.
 * `before` loads lib/pim/queries-before/ (a previous version restored with `git show <commit>:lib/pim/queries/…`,
 * not part of the tree). p50 and max of 7 calls after a warm-up, one connection, as the GA persona.
 */
import { openDb } from "@/db/client";
import os from "node:os";
const url = process.argv[2]!;
const impl = process.argv[3] ?? "after";
const dir = impl === "before" ? "@/lib/pim/queries-before" : "@/lib/pim/queries";
const GA = { id: "b0000000-0000-4000-8000-000000000001", type: "User" as const, displayName: "GA" };
async function main() {
  const { db, close } = await openDb({ url, max: 1 });
  const ctx = { db, now: () => new Date() };
  const roles = await import(`${dir}/list-roles-with-counts`);
  const ov = await import(`${dir}/self-service-counts`);
  const t = async (name: string, f: () => Promise<unknown>) => {
    await f();
    const xs: number[] = [];
    for (let i = 0; i < 7; i++) {
      const s = performance.now();
      await f();
      xs.push(performance.now() - s);
    }
    xs.sort((a, b) => a - b);
    console.log(`| ${name} (${impl}) | ${xs[3]!.toFixed(1)} | ${xs[6]!.toFixed(1)} | ${os.loadavg()[0]!.toFixed(2)} |`);
  };
  await t("Roles: listRolesWithCounts", () => roles.listRolesWithCounts(ctx, GA));
  await t("Overview: getOverviewStats", () => ov.getOverviewStats(ctx, GA));
  await close();
}
main();
