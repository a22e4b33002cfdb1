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
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? "";
      const copy = /^COPY (\S+) (\(.*\)) FROM stdin;$/.exec(line);
      if (copy) {
        const start = i + 1;
        while (i < lines.length && lines[i] !== "\\.") i++;
        const data = lines.slice(start, i).join("\n") + "\n";
        await lite.exec(`delete from ${copy[1]}`);
        if (i > start) await lite.query(`copy ${copy[1]} ${copy[2]} from '/dev/blob'`, [], { blob: new Blob([data]) });
        counts[String(copy[1]).replace(/^public\./, "")] = i - start;
      } else if (/^SELECT pg_catalog\.setval/.test(line)) await lite.exec(line);
    }
    await lite.exec("set session_replication_role = origin; analyze");
  } finally {
    await lite.close();
  }
  return counts;
}
