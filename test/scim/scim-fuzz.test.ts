/**
 * Hostile input to /scim/v2 (fast-check): whatever the body, filter or path, the answer is never a 5xx; every
 * 4xx is a SCIM error body; and a refused request changes nothing.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setApiCtxProvider } from "@/lib/api/handler";
import { CORE_GROUP, CORE_USER, ENTERPRISE, PATCH_OP, scim, scimError, scimState, setupScim } from "./harness";

let w: Awaited<ReturnType<typeof setupScim>>;
let userId = "";
let groupId = "";
beforeAll(async () => {
  w = await setupScim();
  const u = await scim("POST", "/Users", {
    token: w.token,
    body: { schemas: [CORE_USER], userName: "fuzz.target@contoso.test" },
  });
  userId = u.json.id as string;
  const g = await scim("POST", "/Groups", {
    token: w.token,
    body: { schemas: [CORE_GROUP], displayName: "Fuzz group" },
  });
  groupId = g.json.id as string;
});
afterAll(async () => {
  setApiCtxProvider(null);
  await w.handle.drop();
});

const KEYS = [
  "schemas",
  "userName",
  "active",
  "emails",
  "name",
  "members",
  "displayName",
  "externalId",
  "Operations",
  "op",
  "path",
  "value",
  ENTERPRISE,
  "manager",
  "title",
  "id",
  "x",
];
const hostile = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "\u0000",
    "\uD800",
    "'; drop table users;--",
    "True",
    "false",
    "members[value eq",
    '"',
    "a".repeat(5000),
    "",
    " ",
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const json = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    hostile,
    fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie("v"), { maxKeys: 6 }),
  ),
})).v;
const userBody = fc.oneof(
  json,
  fc
    .dictionary(fc.constantFrom(...KEYS), json, { maxKeys: 6 })
    .map((b) => ({ schemas: [CORE_USER], userName: "f@x.test", ...b })),
);
const op = fc.record({
  op: fc.oneof(fc.constantFrom("add", "Replace", "remove", "move"), hostile),
  path: fc.oneof(
    fc.constantFrom(
      "active",
      "members",
      'members[value eq "x"]',
      'emails[type eq "work"].value',
      `${ENTERPRISE}:manager`,
      "name.givenName",
      "displayName",
      "nope",
      "members[value eq",
    ),
    hostile,
  ),
  value: json,
});
const patchBody = fc.oneof(
  json,
  fc.array(op, { maxLength: 4 }).map((Operations) => ({ schemas: [PATCH_OP], Operations })),
);
const filter = fc.oneof(
  fc.string(),
  fc.constantFrom(
    'userName eq "a"',
    "userName eq",
    'userName eq "a" and',
    "not (",
    'members[value eq "x"]',
    '((((userName eq "a"))))',
    'emails[type eq "work"] pr',
    "x".repeat(3000),
  ),
);

async function noServerError(r: Awaited<ReturnType<typeof scim>>) {
  expect(r.status).toBeLessThan(500);
  if (r.status >= 400) scimError(r, r.status);
}

describe("hostile input to /scim/v2", () => {
  it("never a 5xx, always a SCIM error body, nothing changed by a refusal", async () => {
    await fc.assert(
      fc.asyncProperty(userBody, patchBody, patchBody, filter, async (body, userPatch, groupPatch, f) => {
        const before = await scimState(w.db);
        const created = await scim("POST", "/Users", { token: w.token, body });
        await noServerError(created);
        if (created.status === 201) {
          await noServerError(await scim("DELETE", `/Users/${created.json.id as string}`, { token: w.token }));
        } else expect(await scimState(w.db)).toEqual(before);
        for (const [path, b] of [
          [`/Users/${userId}`, userPatch],
          [`/Groups/${groupId}`, groupPatch],
        ] as const) {
          const s0 = await scimState(w.db);
          const r = await scim("PATCH", path, { token: w.token, body: b });
          await noServerError(r);
          if (r.status >= 400) expect(await scimState(w.db)).toEqual(s0);
        }
        await noServerError(await scim("GET", `/Users?filter=${encodeURIComponent(f)}`, { token: w.token }));
        await noServerError(
          await scim("GET", `/Groups?filter=${encodeURIComponent(f)}&count=${encodeURIComponent(f.slice(0, 3))}`, {
            token: w.token,
          }),
        );
      }),
      { numRuns: 60 },
    );
  });
});
