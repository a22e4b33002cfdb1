"use server";

import { defineAction } from "@/lib/actions/define-action";
import { decideRequests } from "@/lib/pim/use-cases/decide-request";
import { decideRequestsInput } from "@/lib/validation/pim";

export type DecisionRowResult =
  | { requestId: string; ok: true; status: string; failureReason: string | null }
  | { requestId: string; ok: false; code: string; message: string };

/**
 * Approve or deny the selected requests with one justification. The use case decides each request in its
 * own transaction and refuses what the actor may not decide (own requests, not an approver, already decided):
 * the answer lists the result per request.
 */
export const decideRequestsAction = defineAction({
  input: decideRequestsInput,
  run: decideRequests,
  revalidate: ["/approve-requests", "/pending-requests", "/my-roles", "/overview"],
  data: (results): DecisionRowResult[] =>
    results.map((r) =>
      r.ok
        ? { requestId: r.requestId, ok: true, status: r.status, failureReason: r.failureReason }
        : { requestId: r.requestId, ok: false, code: r.code, message: r.message },
    ),
});
