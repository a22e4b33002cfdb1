"use server";

import { defineAction } from "@/lib/actions/define-action";
import { decideReviewItems } from "@/lib/pim/use-cases/access-reviews";
import { decideReviewItemsInput } from "@/lib/validation/governance";

/** A reviewer's Approve / Deny / Don't know. The use case checks the actor reviews these items now. */
export const decideReviewItemsAction = defineAction({
  input: decideReviewItemsInput,
  run: decideReviewItems,
  revalidate: [
    { path: "/review-access", type: "layout" },
    { path: "/access-reviews", type: "layout" },
  ],
});
