import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema";

/** The common supertype of the PGlite and postgres.js Drizzle databases (and of their transactions). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
