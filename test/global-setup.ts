/**
 * Migrates once per `vitest run`, so each test file starts from a copy instead of running every migration:
 * on PostgreSQL a template database (each file: `CREATE DATABASE … TEMPLATE`), on PGlite a dumped data
 * folder (each file: `PGlite.create({ loadDataDir })`). test/db.ts picks them up through `inject`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { openDb, PGLITE_EXTENSIONS, type Db } from "@/db/client";
import { migrateDb } from "@/db/migrate";
import * as schema from "@/db/schema";

declare module "vitest" {
  export interface ProvidedContext {
    /** PostgreSQL: the migrated template database's name. */
    pgTemplate: string | null;
    /** PGlite: the path of the migrated data folder's dump (an uncompressed tar). */
    pgliteTemplate: string | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const base = process.env.TEST_DATABASE_URL;
  const id = `${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  if (base) {
    const name = `pim_tpl_${id}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    const handle = await openDb({ url: url.toString(), max: 2 });
    await migrateDb(handle);
    await handle.close(); // a template may have no open connections while it is copied
    project.provide("pgTemplate", name);
    project.provide("pgliteTemplate", null);
    return async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  const client = await PGlite.create({ extensions: PGLITE_EXTENSIONS });
  await migrateDb({ db: drizzle(client, { schema }) as unknown as Db, driver: "pglite", close: () => client.close() });
  const dump = await client.dumpDataDir("none");
  await client.close();
  const file = path.join(os.tmpdir(), `pim-pglite-template-${id}.tar`);
  fs.writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
  project.provide("pgTemplate", null);
  project.provide("pgliteTemplate", file);
  return async () => fs.rmSync(file, { force: true });
}
