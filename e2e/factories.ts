import { randomBytes } from "node:crypto";
import { DEMO_DOMAIN } from "../db/demo-directory";

/**
 * Specs create their own people and data through the e2e server (app/api/test/factory, test builds only):
 * names get a random suffix, so no two tests (or runs against one database) ever share a person.
 */
export const CRON_SECRET = "e2e-cron-secret";

/** A person a spec made: signs in with the demo password and (when enrolled) this TOTP secret. */
export type Person = { id: string; displayName: string; userPrincipalName: string; totpSecret: string };

const baseURL = () => `http://127.0.0.1:${process.env.E2E_PORT}`;
export const uniqueSuffix = () => randomBytes(4).toString("hex");

async function factory<T>(body: Record<string, unknown>): Promise<T> {
  const res = await fetch(`${baseURL()}/api/test/factory`, {
    method: "POST",
    headers: { authorization: `Bearer ${CRON_SECRET}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`factory ${JSON.stringify(body)}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** A new person "<name> <suffix>" (enrolled in TOTP and enabled unless told otherwise). */
export async function createPerson(
  name: string,
  o: { enrolled?: boolean; enabled?: boolean; jobTitle?: string; department?: string } = {},
): Promise<Person> {
  const suffix = uniqueSuffix();
  const local = `${name.toLowerCase().replace(/[^a-z0-9]+/g, ".")}.${suffix}`;
  return factory<Person>({
    op: "user",
    displayName: `${name} ${suffix}`,
    userPrincipalName: `${local}@${DEMO_DOMAIN}`,
    enrolled: o.enrolled ?? true,
    enabled: o.enabled ?? true,
    jobTitle: o.jobTitle,
    department: o.department,
  });
}

/** A standing eligible assignment (permanent unless endDays) of the person for the role, directory-wide by default. */
export function makeEligible(person: { id: string }, role: string, o: { scope?: string; endDays?: number } = {}) {
  return factory<{ id: string }>({
    op: "eligibility",
    principalId: person.id,
    role,
    scope: o.scope,
    endDays: o.endDays,
  });
}

/** A standing active assignment (permanent unless endDays). */
export function makeActive(person: { id: string }, role: string, o: { scope?: string; endDays?: number } = {}) {
  return factory<{ id: string }>({
    op: "assignment",
    principalId: person.id,
    role,
    scope: o.scope,
    endDays: o.endDays,
  });
}

/** A new role-assignable group "<name> <suffix>" holding `activeRoles` (permanent active assignments). */
export function createGroup(
  name: string,
  activeRoles: string[] = [],
  o: { isAssignableToRole?: boolean; owners?: { id: string }[] } = {},
) {
  return factory<{ id: string; displayName: string }>({
    op: "group",
    displayName: `${name} ${uniqueSuffix()}`,
    activeRoles,
    isAssignableToRole: o.isAssignableToRole ?? true,
    ownerIds: (o.owners ?? []).map((p) => p.id),
  });
}
