/**
 * Every server action of the portal, loaded for tests with the framework's edges replaced: `auth()` answers
 * the session id of the current caller (the real getSessionUser/requireActionUser then read the session row),
 * `getCtx()` the test database, `revalidatePath` does nothing. Call `signInAs()` to switch who is signed in.
 * Import this module before anything that imports the actions (it registers the mocks).
 */
import { vi } from "vitest";
import type { Ctx } from "@/lib/pim/context";

const state = vi.hoisted(() => ({ sid: null as string | null, ctx: null as unknown }));
vi.mock("@/lib/auth/auth", () => ({ auth: async () => (state.sid ? { sid: state.sid } : null) }));
vi.mock("@/lib/server-db", () => ({ getCtx: async () => state.ctx }));
vi.mock("@/lib/clock", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/clock")>()),
  serverNow: () => (state.ctx as Ctx).now(),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "user-agent": "security-suite", "x-forwarded-for": "198.51.100.1" }),
  cookies: async () => ({ get: () => undefined }),
}));

export function setActionCtx(ctx: Ctx) {
  state.ctx = ctx;
}
export function signInAs(sid: string | null) {
  state.sid = sid;
}

export type AnyAction = (...args: unknown[]) => Promise<unknown>;
const MODULES = [
  () => import("@/app/(portal)/access-reviews/actions"),
  () => import("@/app/(portal)/alerts/actions"),
  () => import("@/app/(portal)/approve-requests/actions"),
  () => import("@/app/(portal)/discovery/actions"),
  () => import("@/app/(portal)/review-access/actions"),
  () => import("@/app/(portal)/settings/actions"),
  () => import("@/app/(portal)/assignments/actions"),
  () => import("@/app/(portal)/assignments/principal-actions"),
  () => import("@/app/(portal)/my-roles/actions"),
  () => import("@/app/(portal)/notifications/actions"),
  () => import("@/app/(portal)/pending-requests/actions"),
  () => import("@/app/(portal)/roles/[roleId]/settings/actions"),
  () => import("@/app/(portal)/scim/actions"),
  () => import("@/app/(portal)/service-principals/actions"),
  () => import("@/app/(portal)/tokens/actions"),
  () => import("@/app/(portal)/users/actions"),
  () => import("@/app/(portal)/webhooks/actions"),
];

/** name → action, for every exported function of every actions file under app/(portal). */
export async function loadActions(): Promise<Record<string, AnyAction>> {
  const out: Record<string, AnyAction> = {};
  for (const load of MODULES) {
    const mod = (await load()) as Record<string, unknown>;
    for (const [name, v] of Object.entries(mod)) if (typeof v === "function") out[name] = v as AnyAction;
  }
  return out;
}
