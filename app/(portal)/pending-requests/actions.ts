"use server";

import { revalidatePath } from "next/cache";
import { actionError, invalidInput, type ActionResult } from "@/lib/actions/result";
import { actorFromUser, requireActionUser } from "@/lib/auth/session";
import { cancelRequest } from "@/lib/pim";
import { getCtx } from "@/lib/server-db";
import { cancelRequestInput } from "@/lib/validation/pim";

/** Cancel one of my pending requests (the use case refuses other people's requests unless the actor is a PIM admin). */
export async function cancelRequestAction(raw: unknown): Promise<ActionResult<{ requestId: string }>> {
  const parsed = cancelRequestInput.safeParse(raw);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    const user = await requireActionUser();
    await cancelRequest(await getCtx(), actorFromUser(user), parsed.data);
    revalidatePath("/pending-requests");
    revalidatePath("/my-roles");
    revalidatePath("/approve-requests");
    return { ok: true, data: { requestId: parsed.data.requestId } };
  } catch (err) {
    return actionError(err);
  }
}
