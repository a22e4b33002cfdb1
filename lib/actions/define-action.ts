import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import type { Actor, Ctx } from "@/lib/pim/context";
import { getCtx } from "@/lib/server-db";
import { actionError, invalidInput, type ActionResult } from "./result";

/** A page to refresh after a change: a path, or a path with Next's `"layout"` / `"page"` type. */
export type Revalidation = string | { path: string; type: "layout" | "page" };

export type ActionSpec<S extends z.ZodType, R, D> = {
  /** The zod schema of what the browser sends: parsed once, before anything else. */
  input: S;
  /** The use case call: the request's ctx, the signed-in actor and the parsed input. */
  run: (ctx: Ctx, actor: Actor, input: z.output<S>) => Promise<R>;
  /** What the change touched, refreshed after a success only. */
  revalidate: readonly Revalidation[] | ((input: z.output<S>, result: R) => readonly Revalidation[]);
  /** The browser's data (plain JSON: Dates as ISO strings); without it the use case's result is the data. */
  data?: (result: R, input: z.output<S>) => D;
};

/**
 * The one shape of a server action (a server action is a public endpoint): parse the input once → authenticate
 * (a live session that passed MFA, `requireActionUser`) → ctx and actor → the use case, which authorizes on
 * database state → a `PimError` keeps its code and sentence, anything else is logged and answered generically →
 * revalidate → `{ ok: true, data }`. Field errors come from `invalidInput`, the one zod-to-field-errors mapping.
 *
 * Use it from a `"use server"` file: `export const fooAction = defineAction({ ... })`.
 */
export function defineAction<S extends z.ZodType, R, D = R>(
  spec: ActionSpec<S, R, D>,
): (raw?: unknown) => Promise<ActionResult<D>> {
  return async (raw) => {
    const parsed = spec.input.safeParse(raw);
    if (!parsed.success) return invalidInput(parsed.error);
    const input: z.output<S> = parsed.data;
    try {
      const user = await requireActionUser();
      const result = await spec.run(await getCtx(), actorFromUser(user), input);
      const paths = typeof spec.revalidate === "function" ? spec.revalidate(input, result) : spec.revalidate;
      for (const p of paths) {
        if (typeof p === "string") revalidatePath(p);
        else revalidatePath(p.path, p.type);
      }
      const data = spec.data ? spec.data(result, input) : (result as unknown as D);
      return { ok: true, data };
    } catch (err) {
      return actionError(err);
    }
  };
}
