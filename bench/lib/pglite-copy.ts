/**
 * An embedded PGlite copy of a generated PostgreSQL database (for the PGlite page benchmark at size S): the app's
 * migrations into a fresh PGlite folder, then the data of `pg_dump --data-only`, each COPY block fed to PGlite
 * through its /dev/blob device, and the sequences set as the dump says.
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { openDb, PGLITE_EXTENSIONS } from "@/db/client";
import { migrateDb } from "@/db/migrate";

const KEPT_BY_TRIGGERS = ["audit_activity_names", "activation_days", "role_holder_counts", "role_holder_schedules"];

export async function copyToPglite(databaseUrl: string, dir: string): Promise<Record<string, number>> {
  rmSync(dir, { recursive: true, force: true });
  const handle = await openDb({ pgliteDir: dir });
  await migrateDb(handle);
  await handle.close();
  const dump = execFileSync("pg_dump", ["--data-only", "--no-owner", "--schema=public", databaseUrl], {
    maxBuffer: 1 << 30,
    encoding: "utf8",
  });
  const lite = await PGlite.create(dir, { extensions: PGLITE_EXTENSIONS });
  const counts: Record<string, number> = {};
  try {
    await lite.exec("set session_replication_role = replica");
    const lines = dump.split("\n");
    const blocks: { table: string; columns: string; data: string; rows: number }[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? "";
      const copy = /^COPY (\S+) (\(.*\)) FROM stdin;$/.exec(line);
      if (copy) {
        const start = i + 1;
        while (i < lines.length && lines[i] !== "\\.") i++;
        blocks.push({
          table: copy[1]!,
          columns: copy[2]!,
          data: lines.slice(start, i).join("\n") + "\n",
          rows: i - start,
        });
      } else if (/^SELECT pg_catalog\.setval/.test(line)) await lite.exec(line);
    }
    // Tables kept by ENABLE ALWAYS triggers (which fire in replica mode too) are loaded last, each emptied first:
    // they end as the dump has them, not with the load's trigger effects added to it.
    const kept = (t: string) => KEPT_BY_TRIGGERS.includes(t.replace(/^public\./, ""));
    for (const b of [...blocks.filter((x) => !kept(x.table)), ...blocks.filter((x) => kept(x.table))]) {
      await lite.exec(`delete from ${b.table}`);
      if (b.rows > 0)
        await lite.query(`copy ${b.table} ${b.columns} from '/dev/blob'`, [], { blob: new Blob([b.data]) });
      counts[b.table.replace(/^public\./, "")] = b.rows;
    }
    await lite.exec("set session_replication_role = origin; analyze");
  } finally {
    await lite.close();
  }
  return counts;
}
