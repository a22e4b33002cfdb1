import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { PimError } from "@/lib/pim/errors";

const revalidatePath = vi.fn();
const requireActionUser = vi.fn();
vi.mock("next/cache", () => ({ revalidatePath: (...a: unknown[]) => revalidatePath(...a) }));
vi.mock("@/lib/server-db", () => ({ getCtx: async () => ({ db: "the-db", now: () => new Date(0) }) }));
vi.mock("@/lib/auth/session", () => ({
  requireActionUser: () => requireActionUser(),
  actorFromUser: (u: { id: string }) => ({ id: u.id, type: "User", displayName: "Tester" }),
}));

const { defineAction } = await import("./define-action");

const input = z.object({ name: z.string().min(2, { message: "Too short." }), n: z.coerce.number() });

beforeEach(() => {
  revalidatePath.mockReset();
  requireActionUser.mockReset();
  requireActionUser.mockResolvedValue({ id: "u1" });
});

describe("defineAction: parse → authenticate → use case → map errors → revalidate", () => {
  it("runs the use case with the parsed input and the actor, revalidates, shapes the data", async () => {
    const run = vi.fn(async (_ctx: unknown, actor: { id: string }, i: { name: string; n: number }) => ({
      who: actor.id,
      twice: i.n * 2,
    }));
    const action = defineAction({
      input,
      run,
      revalidate: (i) => ["/a", { path: `/b/${i.name}`, type: "layout" }],
      data: (r, i) => ({ ...r, name: i.name }),
    });
    expect(await action({ name: "ok", n: "21" })).toEqual({ ok: true, data: { who: "u1", twice: 42, name: "ok" } });
    expect(run).toHaveBeenCalledTimes(1);
    expect(run.mock.calls[0]?.[2]).toEqual({ name: "ok", n: 21 });
    expect(revalidatePath.mock.calls).toEqual([["/a"], ["/b/ok", "layout"]]);
  });

  it("answers bad input with field errors before authenticating, and runs nothing", async () => {
    const run = vi.fn();
    const action = defineAction({ input, run, revalidate: ["/a"] });
    const r = await action({ name: "x", n: "not a number" });
    expect(r).toMatchObject({ ok: false, code: "ValidationFailed", message: "Check the highlighted fields." });
    expect(!r.ok && r.fieldErrors?.name).toEqual(["Too short."]);
    expect(!r.ok && r.fieldErrors?.n?.length).toBe(1);
    expect(requireActionUser).not.toHaveBeenCalled();
    expect(run).not.toHaveBeenCalled();
    expect(revalidatePath).not.toHaveBeenCalled();
  });

  it("answers Unauthenticated without a session, and runs nothing", async () => {
    requireActionUser.mockRejectedValue(new PimError("Unauthenticated", "Your session has ended. Sign in again."));
    const run = vi.fn();
    const r = await defineAction({ input, run, revalidate: ["/a"] })({ name: "ok", n: 1 });
    expect(r).toEqual({ ok: false, code: "Unauthenticated", message: "Your session has ended. Sign in again." });
    expect(run).not.toHaveBeenCalled();
  });

  it("keeps a PimError's code, sentence and field errors; revalidates nothing", async () => {
    const action = defineAction({
      input,
      run: async () => {
        throw new PimError("Conflict", "Taken.", { fieldErrors: { name: ["Taken."] } });
      },
      revalidate: ["/a"],
    });
    expect(await action({ name: "ok", n: 1 })).toEqual({
      ok: false,
      code: "Conflict",
      message: "Taken.",
      fieldErrors: { name: ["Taken."] },
    });
    expect(revalidatePath).not.toHaveBeenCalled();
  });

  it("answers any other error with a generic sentence (nothing internal leaks)", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const action = defineAction({
      input,
      run: async () => {
        throw new Error("relation users does not exist at 10.0.0.5");
      },
      revalidate: ["/a"],
    });
    const r = await action({ name: "ok", n: 1 });
    expect(r).toEqual({
      ok: false,
      code: "Internal",
      message: "Something went wrong on our side. Try again in a moment.",
    });
    expect(log).toHaveBeenCalledTimes(1);
    log.mockRestore();
  });
});
