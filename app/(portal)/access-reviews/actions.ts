"use server";

import { defineAction } from "@/lib/actions/define-action";
import {
  applyAccessReview,
  createAccessReview,
  resetAccessReview,
  stopAccessReview,
} from "@/lib/pim/use-cases/access-reviews";
import { stopAccessReviewSeries } from "@/lib/pim/use-cases/stop-review-series";
import { createAccessReviewInput, reviewInstanceRef, stopReviewSeriesInput } from "@/lib/validation/governance";

/** Access review commands (admins). Each use case authorizes on database state (GA/PRA now) and audits. */
export const createAccessReviewAction = defineAction({
  input: createAccessReviewInput,
  run: createAccessReview,
  revalidate: ["/access-reviews", "/review-access"],
});

export const stopAccessReviewAction = defineAction({
  input: reviewInstanceRef,
  run: async (ctx, actor, input) => {
    const r = await stopAccessReview(ctx, actor, input);
    return { applied: r.applied };
  },
  revalidate: [{ path: "/access-reviews", type: "layout" }, "/review-access"],
});

export const resetAccessReviewAction = defineAction({
  input: reviewInstanceRef,
  run: resetAccessReview,
  revalidate: [{ path: "/access-reviews", type: "layout" }, "/review-access"],
});

export const applyAccessReviewAction = defineAction({
  input: reviewInstanceRef,
  run: applyAccessReview,
  revalidate: [{ path: "/access-reviews", type: "layout" }, "/assignments", "/activity"],
});

/** Stop a recurring series: no further instance opens (the one in progress stops too unless kept running). */
export const stopAccessReviewSeriesAction = defineAction({
  input: stopReviewSeriesInput,
  run: stopAccessReviewSeries,
  revalidate: [{ path: "/access-reviews", type: "layout" }, "/review-access"],
});
