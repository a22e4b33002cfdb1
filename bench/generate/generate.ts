/**
 * Writes a realistic directory of size S, M or L straight into a PostgreSQL database in bulk (COPY), after the
 * app's own migrations and built-in roles, with a real audit hash chain (computed by `hashAuditRow` from
 * lib/pim/audit.ts, so `verifyAuditChain` accepts it). Skewed like a real tenant: a few roles hold most
 * schedules, ~400 people hold GA/PRA (directly or through two groups), most audit rows are recent.
 * Secondary indexes of the big tables are dropped during the load and rebuilt from their own definitions after it.
 *   generate(url, "M")            from code (tests), or
 *   npm run bench -- generate --size M --database-url postgres://postgres@127.0.0.1:5432/pim_bench_m
 */
import { randomUUID } from "node:crypto";
import postgres, { type Sql } from "postgres";
import { sql as dsql } from "drizzle-orm";
import { openDb } from "@/db/client";
import { migrateDb } from "@/db/migrate";
import { seedBuiltins } from "@/db/seed";
import {
  administrativeUnits,
  apiTokens,
  approvalDecisions,
  auditEvents,
  groupMembers,
  groups,
  roleAssignmentSchedules,
  roleDefinitions,
  roleEligibilitySchedules,
  roleSettings,
  scheduleRequests,
  servicePrincipalPermissions,
  servicePrincipals,
  userMfa,
  users,
  type ApprovalStage,
} from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { encryptSecret } from "@/lib/auth/secret-box";
import { chainAuditRows, GENESIS_HASH } from "@/lib/pim/audit";
import { HASHED_COLUMNS } from "@/lib/pim/audit-chain/canonical";
import {
  APPLICATION_ADMINISTRATOR,
  builtinRoles,
  GLOBAL_ADMINISTRATOR,
  GLOBAL_READER,
  HELPDESK_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  SECURITY_ADMINISTRATOR,
  SECURITY_READER,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";
import { hashSecret, hintOf } from "@/lib/pim/use-cases/create-api-token";
import { copyRows } from "./copy";
import {
  activatorId,
  activatorToken,
  BENCH_APP_ID,
  BENCH_APP_TOKEN,
  BENCH_AUTH_SECRET,
  BENCH_GA_TOKEN,
  BENCH_PASSWORD,
  personas,
  pimGroupId,
} from "./personas";
import { pimGroupPlan, writePimGroups } from "./pim-groups";
import { int, pick, rng, weighted, zipf, type Rng } from "./random";
import { sizeOf, type SizeName, type SizeSpec } from "./sizes";

export type GenerateOptions = {
  /** Drop and create the database first (default true). */
  recreate?: boolean;
  /** The AUTH_SECRET the server will run with (TOTP secrets are encrypted under it). */
  authSecret?: string;
  now?: Date;
  seed?: number;
  log?: (line: string) => void;
};

export type GenerateSummary = {
  size: SizeSpec;
  counts: Record<string, number>;
  ms: Record<string, number>;
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Tables whose secondary indexes are rebuilt after the load (faster than maintaining them row by row). */
const BULK_TABLES = [
  "users",
  "group_members",
  "role_eligibility_schedules",
  "role_assignment_schedules",
  "schedule_requests",
  "approval_decisions",
  "audit_events",
];

const FIRST =
  "Ava Ben Chloe Daniel Elena Farid Grace Hugo Iris Jonas Kira Liam Mia Noah Olga Pavel Quinn Rosa Sami Tara Umar Vera Wade Xena Yusuf Zoe Aiko Bruno Carmen Dmitri Esme Felix Greta Hana Ivan Jade Kofi Lena Marco Nora Oscar Petra Rafael Sofia Tomas Ulla Viktor Wanda Yara Zane".split(
    " ",
  );
const LAST =
  "Smith Johnson Garcia Müller Rossi Dubois Nowak Silva Kim Chen Patel Okafor Jensen Novak Kowalski Haddad Costa Berg Moreau Fischer Romano Ivanova Tanaka Sato Larsen Dahl Horvat Popescu Yilmaz Almeida Brennan O'Neill Schmidt Weber Navarro Lopez Martin Bernard Lindqvist Virtanen".split(
    " ",
  );
const DEPARTMENTS =
  "Engineering Sales Finance HR Legal Marketing Operations Support IT Security Research Procurement".split(" ");
const TITLES =
  "Engineer|Senior Engineer|Manager|Analyst|Consultant|Director|Specialist|Administrator|Associate|Lead".split("|");
const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
  "Microsoft-Graph-Client/3.0 (node)",
];
const TICKET_SYSTEMS = ["ServiceNow", "Jira", "Zendesk"];
const JUSTIFICATIONS = [
  "Reset a locked account for the service desk",
  "Quarterly access review follow-up",
  "Onboarding new hires in the office",
  "Incident response: investigate sign-in alerts",
  "Change request approved by CAB",
  "Update group memberships for the reorg",
  "Rotate application secrets",
  "Emergency fix for a production outage",
];

function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = "/postgres";
  return u.toString();
}

function dbName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Database name '${name}' must be a plain identifier`);
  return name;
}

/** Creates (or re-creates) the database named in `url`. */
export async function recreateDatabase(url: string): Promise<void> {
  const name = dbName(url);
  const admin = postgres(adminUrl(url), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** Drops the secondary (non-constraint) indexes of `tables` and returns their definitions to rebuild them. */
async function dropSecondaryIndexes(sql: Sql, tables: string[]): Promise<{ name: string; def: string }[]> {
  const rows = await sql<{ name: string; def: string }[]>`
    select i.indexname as name, i.indexdef as def
    from pg_indexes i
    where i.schemaname = 'public' and i.tablename in ${sql(tables)}
      and not exists (select 1 from pg_constraint c where c.conindid = (quote_ident(i.indexname))::regclass)`;
  for (const r of rows) await sql.unsafe(`drop index "${r.name}"`);
  return rows;
}

type Schedule = {
  id: string;
  principalIdx: number;
  isGroup: boolean;
  role: number;
  scope: number;
};

/** `generate(url, size)`: see the file comment. Returns row counts and the time each phase took. */
export async function generate(
  url: string,
  size: SizeName | SizeSpec,
  opts: GenerateOptions = {},
): Promise<GenerateSummary> {
  const spec = typeof size === "string" ? sizeOf(size) : size;
  const now = opts.now ?? new Date();
  const t = now.getTime();
  const log = opts.log ?? (() => {});
  const authSecret = opts.authSecret ?? BENCH_AUTH_SECRET;
  const r: Rng = rng(opts.seed ?? 20_261_201);
  const counts: Record<string, number> = {};
  const ms: Record<string, number> = {};
  let phase = performance.now();
  const done = (name: string) => {
    const now2 = performance.now();
    ms[name] = Math.round(now2 - phase);
    phase = now2;
    log(`${name}: ${ms[name]} ms${counts[name] !== undefined ? `, ${counts[name].toLocaleString("en")} rows` : ""}`);
  };

  if (opts.recreate !== false) await recreateDatabase(url);
  const handle = await openDb({ url, max: 2 });
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrateDb(handle);
    await seedBuiltins(handle.db, "Bench Tenant");
    const [{ n } = { n: 0 }] = await sql<{ n: number }[]>`select count(*)::int as n from users`;
    if (n > 0) throw new Error("generate: the database already has users; use a fresh database");
    done("migrate");

    await sql`set session_replication_role = replica`; // FKs hold by construction; their triggers only cost time
    await sql`set maintenance_work_mem = '256MB'`;
    await sql`set synchronous_commit = off`;
    const dropped = await dropSecondaryIndexes(sql, BULK_TABLES);

    // ------------------------------------------------------------ roles, settings, units
    const customRoles = Array.from({ length: spec.customRoles }, (_, i) => ({
      id: randomUUID(),
      displayName: `Custom ${pick(r, DEPARTMENTS)} Role ${i + 1}`,
      description: "A tenant-defined role (benchmark data)",
      isBuiltIn: false,
      allowedResourceActions: [
        `microsoft.directory/custom/role${i + 1}/read`,
        "microsoft.directory/users/basic/update",
      ],
    }));
    if (customRoles.length) {
      await handle.db.insert(roleDefinitions).values(customRoles);
      await handle.db
        .insert(roleSettings)
        .values(customRoles.map((c) => ({ roleDefinitionId: c.id, directoryScopeId: "/" })));
    }
    // Bulk roles in the order of their popularity (Zipf): everything but GA/PRA, whose holders are placed on purpose.
    const bulkRoles = [
      USER_ADMINISTRATOR,
      HELPDESK_ADMINISTRATOR,
      APPLICATION_ADMINISTRATOR,
      SECURITY_READER,
      ...builtinRoles
        .map((b) => b.id)
        .filter(
          (id) =>
            ![
              GLOBAL_ADMINISTRATOR,
              PRIVILEGED_ROLE_ADMINISTRATOR,
              USER_ADMINISTRATOR,
              HELPDESK_ADMINISTRATOR,
              APPLICATION_ADMINISTRATOR,
              SECURITY_READER,
            ].includes(id),
        ),
      ...customRoles.map((c) => c.id),
    ];
    const roleNames = new Map<string, string>([
      ...builtinRoles.map((b) => [b.id, b.displayName] as const),
      ...customRoles.map((c) => [c.id, c.displayName] as const),
    ]);
    const roleOf = zipf(bulkRoles.length, 1.2);

    const aus = Array.from({ length: spec.administrativeUnits }, (_, i) => ({
      id: randomUUID(),
      displayName: `${pick(r, ["Office", "Region", "Campus", "Division"])} ${i + 1}`,
      description: "Administrative unit (benchmark data)",
      createdAt: new Date(t - 900 * DAY),
    }));
    if (aus.length) await copyRows(sql, administrativeUnits, ["id", "displayName", "description", "createdAt"], aus);
    const scopes = ["/", ...aus.map((a) => `/administrativeUnits/${a.id}`)];
    const scopeOf = (rr: Rng) => (rr() < 0.75 || scopes.length === 1 ? 0 : 1 + int(rr, scopes.length - 1));
    counts.administrativeUnits = aus.length;

    // ------------------------------------------------------------ users
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    const personaList = Object.values(personas);
    const userIds: string[] = [];
    const userNames: string[] = [];
    type UserRow = Record<string, unknown>;
    const userRows: UserRow[] = [];
    const addUser = (id: string, displayName: string, upn: string, i: number) => {
      userIds.push(id);
      userNames.push(displayName);
      userRows.push({
        id,
        displayName,
        userPrincipalName: upn,
        mail: upn,
        jobTitle: pick(r, TITLES),
        department: pick(r, DEPARTMENTS),
        passwordHash,
        accountEnabled: i < 50 || r() > 0.02,
        managerId: i > 100 && userIds.length > 20 ? userIds[1 + int(r, Math.min(userIds.length - 1, 500))] : null,
        lastSignInAt: r() < 0.9 ? new Date(t - r() * 90 * DAY) : null,
        createdAt: new Date(t - (200 + r() * 1000) * DAY),
        updatedAt: new Date(t - r() * 200 * DAY),
      });
    };
    personaList.forEach((p, i) => addUser(p.id, p.displayName, p.userPrincipalName, i));
    for (let i = 0; i < spec.activators; i++)
      addUser(activatorId(i), `Bench Activator ${i + 1}`, `activator.${i + 1}@bench.example`, 10);
    while (userIds.length < spec.users) {
      const i = userIds.length;
      const first = pick(r, FIRST);
      const last = pick(r, LAST);
      addUser(randomUUID(), `${first} ${last}`, `${first}.${last}.${i}@bench.example`.toLowerCase(), i);
    }
    counts.users = await copyRows(
      sql,
      users,
      [
        "id",
        "displayName",
        "userPrincipalName",
        "mail",
        "jobTitle",
        "department",
        "passwordHash",
        "accountEnabled",
        "managerId",
        "lastSignInAt",
        "createdAt",
        "updatedAt",
      ],
      userRows,
    );
    userRows.length = 0;
    await copyRows(
      sql,
      userMfa,
      ["userId", "secretEncrypted", "enrolledAt"],
      personaList.map((p) => ({
        userId: p.id,
        secretEncrypted: encryptSecret(p.totpSecret, authSecret),
        enrolledAt: new Date(t - 30 * DAY),
      })),
    );
    done("users");

    // The admin pool: ordinary people after the personas and activators; partitioned so GA/PRA holders are distinct.
    const firstOrdinary = personaList.length + spec.activators;
    const pool = (k: number) => userIds[firstOrdinary + k] as string;
    const adminCount = Math.min(spec.pimAdmins, spec.users - firstOrdinary);
    const parts = [0.3, 0.2, 0.3, 0.2].map((f) => Math.round(adminCount * f));
    const [gaDirect = 0, praDirect = 0, tier0 = 0] = parts;
    const range = (from: number, n: number) => Array.from({ length: n }, (_, k) => pool(from + k));
    const gaDirectIds = [personas.ga.id, ...range(0, gaDirect)];
    const praDirectIds = [personas.pra.id, ...range(gaDirect, praDirect)];
    const tier0Ids = range(gaDirect + praDirect, tier0);
    const operatorIds = range(gaDirect + praDirect + tier0, adminCount - gaDirect - praDirect - tier0);

    // ------------------------------------------------------------ groups and members
    const groupIds: string[] = [];
    const groupRows: Record<string, unknown>[] = [];
    const special = ["Tier 0 Administrators", "PIM Operators", "PIM Approvers"];
    // PIM for Groups: groups 3 … 3 + plan.groups - 1 go under PIM (fixed ids; the first is role-assignable)
    const plan = pimGroupPlan(spec);
    const pimGroups: { id: string; name: string }[] = [];
    for (let i = 0; i < spec.groups; i++) {
      const pim = i >= 3 && i < 3 + plan.groups;
      const id = pim ? pimGroupId(i - 3) : randomUUID();
      groupIds.push(id);
      const name =
        special[i] ?? `${pick(r, DEPARTMENTS)} ${pick(r, ["Team", "Admins", "Operators", "Project"])} ${i + 1}`;
      groupRows.push({
        id,
        displayName: name,
        description: "Group (benchmark data)",
        mailNickname: name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
        isAssignableToRole: i <= 3 || r() < 0.4,
        createdAt: new Date(t - (100 + r() * 800) * DAY),
      });
      if (pim) pimGroups.push({ id, name });
    }
    counts.groups = await copyRows(
      sql,
      groups,
      ["id", "displayName", "description", "mailNickname", "isAssignableToRole", "createdAt"],
      groupRows,
    );
    const [tier0Group, operatorsGroup, approversGroup] = groupIds;
    if (!tier0Group || !operatorsGroup || !approversGroup) throw new Error("generate: at least 3 groups");
    const approverMembers = [personas.approver.id, ...Array.from({ length: 20 }, () => pick(r, userIds))];
    const members: { groupId: string; userId: string; addedAt: Date }[] = [];
    const membersOf: string[][] = [];
    groupIds.forEach((g, i) => {
      const set = new Set<string>(
        i === 0 ? tier0Ids : i === 1 ? operatorIds : i === 2 ? approverMembers : ([] as string[]),
      );
      if (i >= 3) {
        const want = Math.max(3, Math.round(spec.users / 10 / Math.pow(i - 2, 0.8)));
        while (set.size < Math.min(want, spec.users - firstOrdinary))
          set.add(userIds[firstOrdinary + int(r, spec.users - firstOrdinary)] as string);
      }
      membersOf.push([...set]);
      for (const u of set) members.push({ groupId: g, userId: u, addedAt: new Date(t - r() * 400 * DAY) });
    });
    counts.groupMembers = await copyRows(sql, groupMembers, ["groupId", "userId", "addedAt"], members);
    members.length = 0;
    done("groupMembers");

    // ------------------------------------------------------------ service principals and tokens
    const spRows = [
      { id: BENCH_APP_ID, displayName: "Bench access-check client", createdAt: new Date(t - 60 * DAY) },
      ...Array.from({ length: Math.max(5, Math.round(spec.users / 400)) }, (_, i) => ({
        id: randomUUID(),
        displayName: `Line-of-business app ${i + 1}`,
        createdAt: new Date(t - r() * 700 * DAY),
      })),
    ];
    counts.servicePrincipals = await copyRows(sql, servicePrincipals, ["id", "displayName", "createdAt"], spRows);
    // A service principal's granted application permissions decide what its tokens may do (read at every call).
    await copyRows(
      sql,
      servicePrincipalPermissions,
      ["servicePrincipalId", "permission", "grantedAt"],
      [{ servicePrincipalId: BENCH_APP_ID, permission: "RoleManagement.Read.Directory", grantedAt: now }],
    );
    const year = new Date(t + 365 * DAY);
    const token = (plain: string, owner: { userId?: string; servicePrincipalId?: string }, scopes: string[]) => ({
      id: randomUUID(),
      userId: owner.userId ?? null,
      servicePrincipalId: owner.servicePrincipalId ?? null,
      name: "bench",
      tokenHash: hashSecret(plain),
      hint: hintOf(plain),
      scopes: `{${scopes.join(",")}}`,
      mfaAt: owner.userId ? now : null,
      expiresAt: year,
      createdAt: now,
    });
    const tokenRows = [
      token(BENCH_APP_TOKEN, { servicePrincipalId: BENCH_APP_ID }, ["RoleManagement.Read.Directory"]),
      token(BENCH_GA_TOKEN, { userId: personas.ga.id }, [
        "RoleManagement.ReadWrite.Directory",
        "RoleManagement.Read.Directory",
        "AuditLog.Read.All",
      ]),
      ...Array.from({ length: spec.activators }, (_, i) =>
        token(activatorToken(i), { userId: activatorId(i) }, ["RoleAssignmentSchedule.ReadWrite.Directory"]),
      ),
    ];
    counts.apiTokens = await copyRows(
      sql,
      apiTokens,
      ["id", "userId", "servicePrincipalId", "name", "tokenHash", "hint", "scopes", "mfaAt", "expiresAt", "createdAt"],
      tokenRows,
    );

    // ------------------------------------------------------------ role settings: some roles need approval
    const approvalRoles = [
      APPLICATION_ADMINISTRATOR,
      SECURITY_ADMINISTRATOR,
      ...customRoles.filter((_, i) => i % 3 === 0).map((c) => c.id),
    ];
    const stages: ApprovalStage[] = [
      {
        mode: "anyOne",
        approvers: [
          { type: "User", id: personas.approver.id },
          { type: "Group", id: approversGroup },
        ],
      },
    ];
    for (const roleId of approvalRoles)
      await handle.db
        .update(roleSettings)
        .set({ approvalRequired: true, approvalStages: stages })
        .where(dsql`${roleSettings.roleDefinitionId} = ${roleId} and ${roleSettings.directoryScopeId} = '/'`);
    const approvalRoleSet = new Set(approvalRoles);

    // ------------------------------------------------------------ eligibilities
    const adminIds = [...gaDirectIds, ...praDirectIds, ...tier0Ids, ...operatorIds];
    const userIndex = new Map<string, number>(userIds.map((id, i) => [id, i]));
    const idx = (id: string) => userIndex.get(id) ?? 0;
    // the groups under PIM take part of the budget (written at the end by writePimGroups)
    const eligCount = Math.round(spec.schedules * 0.55) - plan.eligibilities;
    const userElig: Schedule[] = []; // user eligibilities that activations and requests refer to
    const liveUserElig: Schedule[] = [];
    const eligFields = [
      "id",
      "principalId",
      "principalType",
      "roleDefinitionId",
      "directoryScopeId",
      "memberType",
      "status",
      "startDateTime",
      "endDateTime",
      "createdBy",
      "createdAt",
      "updatedAt",
    ] as const;
    const roleIdAt = (k: number) => bulkRoles[k] as string;
    const allRoles = [...bulkRoles, GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR];
    const GA_IDX = allRoles.indexOf(GLOBAL_ADMINISTRATOR);
    const PRA_IDX = allRoles.indexOf(PRIVILEGED_ROLE_ADMINISTRATOR);
    const eligRow = (
      s: Schedule,
      state: "live" | "Expired" | "Revoked",
      permanent: boolean,
    ): Record<(typeof eligFields)[number], unknown> => {
      const start = new Date(t - (1 + r() * 700) * DAY);
      const end =
        state === "live"
          ? permanent
            ? null
            : new Date(t + (1 + r() * 365) * DAY)
          : new Date(start.getTime() + r() * (t - start.getTime() - HOUR));
      return {
        id: s.id,
        principalId: s.isGroup ? groupIds[s.principalIdx] : userIds[s.principalIdx],
        principalType: s.isGroup ? "Group" : "User",
        roleDefinitionId: allRoles[s.role],
        directoryScopeId: scopes[s.scope],
        memberType: "Direct",
        status: state === "live" ? "Provisioned" : state,
        startDateTime: start,
        endDateTime: end,
        createdBy: pick(r, gaDirectIds),
        createdAt: start,
        updatedAt: end && end.getTime() < t ? end : start,
      };
    };
    function* eligibilities() {
      const fixed: [string, number, number][] = [
        [personas.user.id, bulkRoles.indexOf(USER_ADMINISTRATOR), 0],
        [personas.user.id, bulkRoles.indexOf(HELPDESK_ADMINISTRATOR), Math.min(1, scopes.length - 1)],
        [personas.user.id, bulkRoles.indexOf(APPLICATION_ADMINISTRATOR), 0],
        [personas.approver.id, bulkRoles.indexOf(USER_ADMINISTRATOR), 0],
        [personas.ga.id, PRA_IDX, 0],
        [personas.pra.id, GA_IDX, 0],
      ];
      for (const [who, role, scope] of fixed) {
        const s = { id: randomUUID(), principalIdx: idx(who), isGroup: false, role, scope };
        userElig.push(s);
        yield eligRow(s, "live", true);
      }
      for (let i = 0; i < spec.activators; i++) {
        const s = {
          id: randomUUID(),
          principalIdx: idx(activatorId(i)),
          isGroup: false,
          role: bulkRoles.indexOf(USER_ADMINISTRATOR),
          scope: 0,
        };
        yield eligRow(s, "live", true); // kept out of userElig: the activation benchmark uses them
      }
      // admins are eligible for the other PIM role (a real tenant's habit)
      for (const a of adminIds.slice(0, Math.round(adminIds.length / 2))) {
        const s = {
          id: randomUUID(),
          principalIdx: idx(a),
          isGroup: false,
          role: r() < 0.5 ? GA_IDX : PRA_IDX,
          scope: 0,
        };
        userElig.push(s);
        liveUserElig.push(s);
        yield eligRow(s, "live", r() < 0.5);
      }
      let made = 6 + spec.activators + Math.round(adminIds.length / 2);
      for (; made < eligCount; made++) {
        const isGroup = r() < 0.08;
        const s: Schedule = {
          id: randomUUID(),
          principalIdx: isGroup
            ? 3 + int(r, Math.max(1, groupIds.length - 3))
            : firstOrdinary + int(r, spec.users - firstOrdinary),
          isGroup,
          role: roleOf(r),
          scope: scopeOf(r),
        };
        if (isGroup && s.principalIdx >= groupIds.length) s.principalIdx = groupIds.length - 1;
        const x = r();
        const state = x < 0.85 ? "live" : x < 0.95 ? "Expired" : "Revoked";
        if (!isGroup) {
          userElig.push(s);
          if (state === "live") liveUserElig.push(s);
        }
        yield eligRow(s, state, r() < 0.5);
      }
    }
    counts.eligibilities = await copyRows(sql, roleEligibilitySchedules, [...eligFields], eligibilities());
    done("eligibilities");

    // ------------------------------------------------------------ assignments
    const asgFields = [
      "id",
      "principalId",
      "principalType",
      "roleDefinitionId",
      "directoryScopeId",
      "assignmentType",
      "memberType",
      "status",
      "startDateTime",
      "endDateTime",
      "eligibilityScheduleId",
      "origin",
      "createdBy",
      "createdAt",
      "updatedAt",
    ] as const;
    type Asg = Record<(typeof asgFields)[number], unknown>;
    const activationLog: { id: string; s: Schedule; start: Date; end: Date; status: string }[] = [];
    const assigned = (principalId: string, type: "User" | "Group", roleId: string, scope = "/"): Asg => {
      const start = new Date(t - (30 + r() * 600) * DAY);
      return {
        id: randomUUID(),
        principalId,
        principalType: type,
        roleDefinitionId: roleId,
        directoryScopeId: scope,
        assignmentType: "Assigned",
        memberType: "Direct",
        status: "Provisioned",
        startDateTime: start,
        endDateTime: null,
        eligibilityScheduleId: null,
        // Made through the engine (a row PIM did not make would raise "Roles are being assigned outside of PIM").
        origin: "pim",
        createdBy: personas.ga.id,
        createdAt: start,
        updatedAt: start,
      };
    };
    const asgCount = spec.schedules - Math.round(spec.schedules * 0.55) - plan.assignments;
    function* assignments() {
      for (const id of gaDirectIds) yield assigned(id, "User", GLOBAL_ADMINISTRATOR);
      for (const id of praDirectIds) yield assigned(id, "User", PRIVILEGED_ROLE_ADMINISTRATOR);
      yield assigned(tier0Group as string, "Group", GLOBAL_ADMINISTRATOR);
      yield assigned(operatorsGroup as string, "Group", PRIVILEGED_ROLE_ADMINISTRATOR);
      yield assigned(personas.reader.id, "User", GLOBAL_READER);
      let made = gaDirectIds.length + praDirectIds.length + 3;
      // a few hundred readers
      for (let i = 0; i < Math.round(spec.pimAdmins / 2); i++, made++)
        yield assigned(pool(adminCount + i), "User", i % 2 ? SECURITY_READER : GLOBAL_READER);
      // live activations: distinct eligibilities (one live activation per eligibility and person)
      const live = Math.min(Math.round(asgCount * 0.01), liveUserElig.length);
      const used = new Set<number>();
      for (let i = 0; i < live; i++, made++) {
        let k = int(r, liveUserElig.length);
        while (used.has(k)) k = (k + 1) % liveUserElig.length;
        used.add(k);
        const s = liveUserElig[k] as Schedule;
        const start = new Date(t - r() * 2 * HOUR);
        const end = new Date(t + (2 + r() * 6) * HOUR);
        const id = randomUUID();
        activationLog.push({ id, s, start, end, status: "Provisioned" });
        yield activated(id, s, start, end, "Provisioned");
      }
      for (; made < asgCount; made++) {
        if (r() < 0.3) {
          // directly assigned (active) by an admin: permanent, time-bound, or ended
          const isGroup = r() < 0.05;
          const who = isGroup
            ? (groupIds[3 + int(r, Math.max(1, groupIds.length - 3))] ?? (groupIds[groupIds.length - 1] as string))
            : (userIds[firstOrdinary + int(r, spec.users - firstOrdinary)] as string);
          const row = assigned(who, isGroup ? "Group" : "User", roleIdAt(roleOf(r)), scopes[scopeOf(r)]);
          const x = r();
          if (x < 0.5) row.endDateTime = new Date(t + (1 + r() * 180) * DAY);
          else if (x < 0.8) {
            row.endDateTime = new Date((row.startDateTime as Date).getTime() + r() * 20 * DAY);
            row.status = (row.endDateTime as Date).getTime() < t ? (r() < 0.7 ? "Expired" : "Revoked") : "Provisioned";
          }
          yield row;
        } else {
          // a past activation (history): mostly recent, 1–8 hours long
          const s = pick(r, userElig);
          const age = Math.pow(r(), 2) * 365 * DAY + 9 * HOUR;
          const start = new Date(t - age);
          const end = new Date(start.getTime() + (1 + r() * 7) * HOUR);
          const status = r() < 0.9 ? "Expired" : "Revoked";
          const id = randomUUID();
          activationLog.push({ id, s, start, end, status });
          yield activated(id, s, start, end, status);
        }
      }
    }
    function activated(id: string, s: Schedule, start: Date, end: Date, status: string): Asg {
      return {
        id,
        principalId: userIds[s.principalIdx],
        principalType: "User",
        roleDefinitionId: allRoles[s.role],
        directoryScopeId: scopes[s.scope],
        assignmentType: "Activated",
        memberType: "Direct",
        status,
        startDateTime: start,
        endDateTime: end,
        eligibilityScheduleId: s.id,
        origin: "pim",
        createdBy: userIds[s.principalIdx],
        createdAt: start,
        updatedAt: status === "Provisioned" ? start : end,
      };
    }
    counts.assignments = await copyRows(sql, roleAssignmentSchedules, [...asgFields], assignments());
    done("assignments");

    // ------------------------------------------------------------ requests (and decisions)
    const reqFields = [
      "id",
      "requestType",
      "action",
      "status",
      "principalId",
      "principalType",
      "roleDefinitionId",
      "directoryScopeId",
      "requestorId",
      "requestorType",
      "justification",
      "ticketNumber",
      "ticketSystem",
      "startDateTime",
      "expirationType",
      "endDateTime",
      "duration",
      "targetScheduleId",
      "eligibilityScheduleId",
      "approvalStages",
      "mfaVerified",
      "failureReason",
      "createdDateTime",
      "completedDateTime",
      "approvalDeadline",
      "clientIp",
      "userAgent",
    ] as const;
    type Req = Record<(typeof reqFields)[number], unknown>;
    const requestIds: string[] = [];
    const decisions: Record<string, unknown>[] = [];
    const approvalElig = userElig.filter((s) => approvalRoleSet.has(allRoles[s.role] as string));
    const uma = userElig.filter((s) => s.principalIdx === idx(personas.user.id));
    const umaApp = uma.find((s) => allRoles[s.role] === APPLICATION_ADMINISTRATOR);
    const selfReq = (s: Schedule, status: string, created: Date, hours: number, extra: Partial<Req> = {}): Req => {
      const id = randomUUID();
      requestIds.push(id);
      const ticket = r() < 0.3;
      return {
        id,
        requestType: "assignment",
        action: "selfActivate",
        status,
        principalId: userIds[s.principalIdx],
        principalType: "User",
        roleDefinitionId: allRoles[s.role],
        directoryScopeId: scopes[s.scope],
        requestorId: userIds[s.principalIdx],
        requestorType: "User",
        justification: pick(r, JUSTIFICATIONS),
        ticketNumber: ticket ? `INC-${10000 + int(r, 90000)}` : null,
        ticketSystem: ticket ? pick(r, TICKET_SYSTEMS) : null,
        startDateTime: created,
        expirationType: "afterDuration",
        endDateTime: new Date(created.getTime() + hours * HOUR),
        duration: `PT${hours}H`,
        targetScheduleId: null,
        eligibilityScheduleId: s.id,
        approvalStages: approvalRoleSet.has(allRoles[s.role] as string) ? stages : [],
        mfaVerified: r() < 0.5,
        failureReason: null,
        createdDateTime: created,
        completedDateTime: status === "PendingApproval" ? null : created,
        approvalDeadline: status === "PendingApproval" ? new Date(created.getTime() + DAY) : null,
        clientIp: `10.${int(r, 256)}.${int(r, 256)}.${int(r, 256)}`,
        userAgent: pick(r, USER_AGENTS),
        ...extra,
      };
    };
    function* requests() {
      let made = 0;
      // waiting for approval (created within the last 20 hours), Uma's first
      if (umaApp) {
        made++;
        yield selfReq(umaApp, "PendingApproval", new Date(t - HOUR), 4);
      }
      for (; made < spec.pending && approvalElig.length; made++)
        yield selfReq(pick(r, approvalElig), "PendingApproval", new Date(t - r() * 20 * HOUR), 1 + int(r, 8));
      // one request per activation in the history (newest first until the budget runs out)
      const budget = spec.requests - spec.pending;
      const fromActivations = Math.min(activationLog.length, Math.round(budget * 0.7));
      for (let i = 0; i < fromActivations; i++, made++) {
        const a = activationLog[i] as (typeof activationLog)[number];
        const hours = Math.max(1, Math.round((a.end.getTime() - a.start.getTime()) / HOUR));
        yield selfReq(a.s, "Provisioned", a.start, hours, { targetScheduleId: a.id });
      }
      // refused, canceled, timed-out and failed ones
      const pickStatus = weighted([
        ["Denied", 4],
        ["Canceled", 4],
        ["TimedOut", 2],
        ["Failed", 1],
      ] as const);
      for (; made < spec.requests; made++) {
        const s = approvalElig.length && r() < 0.6 ? pick(r, approvalElig) : pick(r, userElig);
        const status = pickStatus(r);
        const created = new Date(t - (1 + Math.pow(r(), 2) * 365) * DAY);
        const row = selfReq(s, status, created, 1 + int(r, 8), {
          failureReason: status === "Failed" ? "EligibilityRule: the eligibility ended before approval" : null,
          completedDateTime: new Date(created.getTime() + r() * DAY),
        });
        if (status === "Denied")
          decisions.push({
            id: randomUUID(),
            requestId: row.id,
            stage: 0,
            approverId: pick(r, [personas.approver.id, ...gaDirectIds]),
            decision: "Deny",
            justification: "Not needed for this task",
            decidedAt: row.completedDateTime,
          });
        yield row;
      }
    }
    counts.requests = await copyRows(sql, scheduleRequests, [...reqFields], requests());
    counts.decisions = await copyRows(
      sql,
      approvalDecisions,
      ["id", "requestId", "stage", "approverId", "decision", "justification", "decidedAt"],
      decisions,
    );
    activationLog.length = 0;
    done("requests");

    // ------------------------------------------------------------ audit: a real hash chain, most rows recent
    const activity = weighted([
      [["Add member to role completed (PIM activation)", "selfActivate"], 40],
      [["Remove member from role (PIM activation expired)", "schedule.expire"], 25],
      [["Add member to role requested (PIM activation)", "selfActivate"], 8],
      [["Add member to role request approved (PIM activation)", "selfActivate"], 6],
      [["Remove member from role completed (PIM deactivation)", "selfDeactivate"], 5],
      [["Add eligible member to role in PIM completed (timebound)", "adminAssign"], 5],
      [["Add member to role in PIM completed (timebound)", "adminAssign"], 3],
      [["Add member to role request canceled (PIM activation)", "request.cancel"], 2],
      [["Add member to role request timed out (PIM activation)", "request.timeout"], 1],
      [["Remove eligible member from role (PIM assignment expired)", "schedule.expire"], 2],
      [["Extend eligible member in role in PIM completed (timebound)", "adminExtend"], 1],
      [["Add member to role in PIM failed", "adminAssign"], 1],
      [["Update role setting in PIM", "roleSettings.update"], 0.3],
      [["Create personal API token", "apiToken.create"], 0.5],
      [["Add user", "user.create"], 0.2],
    ] as const);
    const actorOf = zipf(adminIds.length, 0.7);
    const span = 730 * DAY;
    const N = spec.auditRows;
    // the COPY columns: exactly what the chain hashes, then the hash (one list, from the canonical form)
    const auditFields = [...HASHED_COLUMNS, "hash"] as const;
    type AuditRow = Parameters<typeof chainAuditRows>[1][number];
    function* audit() {
      let prev = GENESIS_HASH;
      let batch: AuditRow[] = [];
      const flush = function* () {
        // the app's own chaining (stored form, prevHash, hash): whatever lib/pim/audit does, the chain verifies
        const { rows, head } = chainAuditRows(prev, batch);
        prev = head;
        batch = [];
        for (const row of rows) yield row as Record<(typeof auditFields)[number], unknown>;
      };
      for (let i = 0; i < N; i++) {
        // created_at rises with id (chain order is time order); density grows towards now (age ∝ (1-i/N)^3)
        const age = Math.pow(1 - i / N, 3) * span + 60_000;
        const createdAt = new Date(Math.floor(t - age));
        const [act, operation] = activity(r);
        const self = operation.startsWith("self") || operation === "request.cancel";
        const targetIdx = firstOrdinary + int(r, spec.users - firstOrdinary);
        const actorId = self || r() < 0.3 ? (userIds[targetIdx] as string) : (adminIds[actorOf(r)] as string);
        const roleK = roleOf(r);
        const failure = act.endsWith("failed");
        const hasRole = operation !== "apiToken.create" && operation !== "user.create";
        const ticket = r() < 0.2;
        const system = operation === "schedule.expire";
        batch.push({
          id: i + 1,
          eventId: randomUUID(),
          createdAt,
          category: operation.startsWith("apiToken")
            ? "ApiToken"
            : operation === "user.create"
              ? "UserManagement"
              : "RoleManagement",
          activity: act,
          operation,
          result: failure ? "failure" : "success",
          resultReason: failure ? "ExpirationRule: the end time is beyond the role's maximum" : null,
          actorId: system ? null : actorId,
          actorType: system ? null : "User",
          actorName: system ? null : (userNames[idx(actorId)] ?? null),
          targetId: userIds[targetIdx] ?? null,
          targetType: "User",
          targetName: userNames[targetIdx] ?? null,
          roleDefinitionId: hasRole ? roleIdAt(roleK) : null,
          roleName: hasRole ? (roleNames.get(roleIdAt(roleK)) ?? null) : null,
          directoryScopeId: hasRole ? (scopes[scopeOf(r)] ?? "/") : null,
          requestId:
            requestIds.length && operation.startsWith("self") ? (requestIds[i % requestIds.length] ?? null) : null,
          justification: system ? null : pick(r, JUSTIFICATIONS),
          ticketNumber: ticket ? `INC-${10000 + int(r, 90000)}` : null,
          ticketSystem: ticket ? pick(r, TICKET_SYSTEMS) : null,
          clientIp: system ? null : `10.${int(r, 256)}.${int(r, 256)}.${int(r, 256)}`,
          userAgent: system ? null : pick(r, USER_AGENTS),
          details: operation === "selfActivate" ? { status: "Provisioned", duration: `PT${1 + int(r, 8)}H` } : {},
          prevHash: GENESIS_HASH,
        });
        if (batch.length === 5000) yield* flush();
      }
      if (batch.length) yield* flush();
    }
    counts.audit = await copyRows(sql, auditEvents, [...auditFields], audit());
    await sql.unsafe(
      `select setval(pg_get_serial_sequence('audit_events', 'id'), greatest((select max(id) from audit_events), 1))`,
    );
    done("audit");

    // ------------------------------------------------------------ indexes back, statistics
    for (const d of dropped) await sql.unsafe(d.def);
    await sql`set session_replication_role = origin`;
    done("indexes");

    // ------------------------------------------------------------ PIM for Groups (ordinary inserts: triggers on)
    const pg = await writePimGroups(handle.db, {
      now,
      groups: pimGroups,
      someone: () => userIds[firstOrdinary + int(r, spec.users - firstOrdinary)] as string,
      createdBy: personas.ga.id,
    });
    counts.pimGroups = pimGroups.length;
    counts.pimGroupSchedules = pg.eligibilities + pg.assignments;
    await sql`analyze`;
    done("pimGroups");
    return { size: spec, counts, ms };
  } finally {
    await sql.end({ timeout: 5 });
    await handle.close();
  }
}
