import postgres from "postgres";

/**
 * Separation of duties on PostgreSQL. Migrations run as an owner role (DATABASE_OWNER_URL): it owns
 * every table, so only it can ALTER, DROP, DISABLE TRIGGER or TRUNCATE. The app connects as another
 * role (DATABASE_URL) that may read and write the working tables but may only SELECT and INSERT audit
 * rows and verification records: no UPDATE, DELETE, TRUNCATE, TRIGGER or REFERENCES there, and no DDL
 * anywhere (it owns nothing and has no CREATE on the schema).
 */

/** Tables whose rows, once written, are evidence: the app may add rows and read them, nothing else. */
export const APPEND_ONLY_TABLES = ["audit_events", "audit_verifications"] as const;
/** Tables the app never touches (the migrator's bookkeeping). */
export const OWNER_ONLY_TABLES = ["audit_legacy_segments"] as const;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export class RoleSetupError extends Error {}

/** Role name and password from a postgres:// URL. */
export function roleOfUrl(url: string): { user: string; password: string | null } {
  const u = new URL(url);
  return {
    user: decodeURIComponent(u.username || "postgres"),
    password: u.password ? decodeURIComponent(u.password) : null,
  };
}

/** Creates the app's login role when it does not exist (the owner needs CREATEROLE, or run it as a superuser). */
export async function ensureAppRole(
  ownerUrl: string,
  appRole: string,
  password: string | null,
): Promise<"created" | "exists"> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const [r] = await sql`select 1 from pg_roles where rolname = ${appRole}`;
    if (r) return "exists";
    await sql.unsafe(
      `create role ${ident(appRole)} login nosuperuser nocreatedb nocreaterole noreplication nobypassrls` +
        (password === null ? "" : ` password '${password.replace(/'/g, "''")}'`),
    );
    return "created";
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Grants the app role exactly its rights on the current database (idempotent; run after every migration,
 * so tables added later are covered). Refuses when the app role is a superuser or owns any table, because
 * then no grant can bind it.
 */
export async function applyAppRoleGrants(ownerUrl: string, appRole: string): Promise<void> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const [role] = await sql<{ super: boolean; bypass: boolean }[]>`
      select rolsuper as super, rolbypassrls as bypass from pg_roles where rolname = ${appRole}`;
    if (!role) throw new RoleSetupError(`role ${appRole} does not exist (npm run db:roles creates it)`);
    if (role.super) throw new RoleSetupError(`the app role ${appRole} is a superuser: no grant can bind it`);
    const owned = await sql<{ name: string }[]>`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and pg_get_userbyid(c.relowner) = ${appRole} limit 5`;
    if (owned.length > 0) {
      throw new RoleSetupError(
        `the app role ${appRole} owns ${owned.map((o) => o.name).join(", ")}: an owner can disable triggers and drop ` +
          `tables. As a superuser run: REASSIGN OWNED BY ${appRole} TO <owner role>; then npm run db:roles again.`,
      );
    }
    const [{ db } = { db: "" }] = await sql<{ db: string }[]>`select current_database() as db`;
    const a = ident(appRole);
    await sql.begin(async (tx) => {
      await tx.unsafe(`grant connect on database ${ident(db)} to ${a}`);
      await tx.unsafe(`revoke create on schema public from ${a}`);
      await tx.unsafe(`grant usage on schema public to ${a}`);
      await tx.unsafe(`revoke all on all tables in schema public from ${a}`);
      await tx.unsafe(`grant select, insert, update, delete on all tables in schema public to ${a}`);
      for (const t of APPEND_ONLY_TABLES) {
        await tx.unsafe(`revoke all on ${ident(t)} from ${a}`);
        await tx.unsafe(`grant select, insert on ${ident(t)} to ${a}`);
      }
      for (const t of OWNER_ONLY_TABLES) await tx.unsafe(`revoke all on ${ident(t)} from ${a}`);
      await tx.unsafe(`grant usage, select on all sequences in schema public to ${a}`);
      // The app never reads the migrator's journal.
      const [d] = await tx`select 1 from pg_namespace where nspname = 'drizzle'`;
      if (d) await tx.unsafe(`revoke all on schema drizzle from ${a}`);
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}
