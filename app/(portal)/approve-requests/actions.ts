"use server";

import { revalidatePath } from "next/cache";
import { actionError, invalidInput, type ActionResult } from "@/lib/actions/result";
import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { decideRequests } from "@/lib/pim";
import { getCtx } from "@/lib/server-db";
import { decideRequestsInput } from "@/lib/validation/pim";

export type DecisionRowResult =
  | { requestId: string; ok: true; status: string; failureReason: string | null }
  | { requestId: string; ok: false; code: string; message: string };

/**
 * Approve or deny the selected requests with one justification. The use case decides each request in its
 * own transaction and refuses what the actor may not decide (own requests, not an approver, already decided):
 * the answer lists the result per request.
 */
export async function decideRequestsAction(raw: unknown): Promise<ActionResult<DecisionRowResult[]>> {
  const parsed = decideRequestsInput.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    const results = await decideRequests(await getCtx(), actorFromUser(user), parsed.data);
    revalidatePath("/approve-requests");
    revalidatePath("/pending-requests");
    revalidatePath("/my-roles");
    revalidatePath("/overview");
    return {
      ok: true,
      data: results.map((r) =>
        r.ok
          ? { requestId: r.requestId, ok: true as const, status: r.status, failureReason: r.failureReason }
          : { requestId: r.requestId, ok: false as const, code: r.code, message: r.message },
      ),
    };
  } catch (err) {
    return actionError(err);
  }
}
