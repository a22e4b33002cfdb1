"use server";

import { defineAction } from "@/lib/actions/define-action";
import { decideReviewItems } from "@/lib/pim/use-cases/access-reviews";
import { acceptReviewRecommendations } from "@/lib/pim/use-cases/review-decisions";
import { decideReviewItemsInput, reviewInstanceRef } from "@/lib/validation/governance";

/** A reviewer's Approve / Deny / Don't know. The use case checks the actor reviews these items now. */
export const decideReviewItemsAction = defineAction({
  input: decideReviewItemsInput,
  run: decideReviewItems,
  revalidate: [
    { path: "/review-access", type: "layout" },
    { path: "/access-reviews", type: "layout" },
  ],
});

/** "Accept recommendations": the reviewer's undecided members take their recommendation (audited per member). */
export const acceptReviewRecommendationsAction = defineAction({
  input: reviewInstanceRef,
  run: acceptReviewRecommendations,
  revalidate: [
    { path: "/review-access", type: "layout" },
    { path: "/access-reviews", type: "layout" },
  ],
});
