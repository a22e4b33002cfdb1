/**
 * The benchmark personas: fixed ids, a known password and known TOTP secrets, so a benchmark signs in through
 * the real flow (credentials, then a TOTP code). Benchmark data only: never a real tenant's.
 */
import { createHash } from "node:crypto";

export const BENCH_PASSWORD = "Bench-Passw0rd-2026";
/** The server must run with this AUTH_SECRET: the personas' TOTP secrets are encrypted under it. */
export const BENCH_AUTH_SECRET = "bench-only-auth-secret-bench-only-auth-secret-0123";

export type PersonaKey = "ga" | "pra" | "reader" | "user" | "approver";

export type Persona = { id: string; displayName: string; userPrincipalName: string; totpSecret: string };

export const personas: Record<PersonaKey, Persona> = {
  ga: {
    id: "b0000000-0000-4000-8000-000000000001",
    displayName: "Gloria Admin",
    userPrincipalName: "gloria.admin@bench.example",
    totpSecret: "JBSWY3DPEHPK3PXPBENCHGAA",
  },
  pra: {
    id: "b0000000-0000-4000-8000-000000000002",
    displayName: "Priya Roleadmin",
    userPrincipalName: "priya.roleadmin@bench.example",
    totpSecret: "JBSWY3DPEHPK3PXPBENCHPRA",
  },
  reader: {
    id: "b0000000-0000-4000-8000-000000000003",
    displayName: "Rita Reader",
    userPrincipalName: "rita.reader@bench.example",
    totpSecret: "JBSWY3DPEHPK3PXPBENCHRDR",
  },
  user: {
    id: "b0000000-0000-4000-8000-000000000004",
    displayName: "Uma User",
    userPrincipalName: "uma.user@bench.example",
    totpSecret: "JBSWY3DPEHPK3PXPBENCHUSR",
  },
  approver: {
    id: "b0000000-0000-4000-8000-000000000005",
    displayName: "Avery Approver",
    userPrincipalName: "avery.approver@bench.example",
    totpSecret: "JBSWY3DPEHPK3PXPBENCHAPR",
  },
};

/** The benchmark application (service principal) and its token with RoleManagement.Read.Directory. */
export const BENCH_APP_ID = "b0000000-0000-4000-8000-0000000000a1";
export const BENCH_APP_TOKEN = "pat_bench-app-token-RoleManagement-Read-Directory-0001";
/** A personal token of the GA persona (reader rights: may ask about anyone). */
export const BENCH_GA_TOKEN = "pat_bench-ga-personal-token-0000000000000000000001";

/** Activator i (0-based): a user with one eligibility that activates without approval, and a personal token. */
export const activatorId = (i: number) => `b1000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
export const activatorToken = (i: number) =>
  `pat_${createHash("sha256").update(`bench-activator-${i}`).digest("base64url")}`;

/**
 * Group under PIM j (0-based; PIM for Groups): fixed ids so the access-check benchmark asks about real data.
 * Group 0 is role-assignable and holds `PIM_GROUP_ROLE`; activator 0 is its active member (permanent),
 * activator 1 only an eligible member, and Uma (personas.user) its active owner.
 */
export const pimGroupId = (j: number) => `b2000000-0000-4000-8000-${j.toString(16).padStart(12, "0")}`;
