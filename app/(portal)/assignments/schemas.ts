import "@/lib/validation/zod-config";
import { z } from "zod";
import { storableString } from "@/lib/validation/text";

/**
 * The forms' own shapes (what a person fills in). The actions translate them into the engine's
 * use-case inputs, which validate again against the role's settings on the server.
 */
const isoDate = z.iso.datetime({ offset: true, message: "Enter a valid date and time." });

export const addAssignmentsForm = z
  .object({
    roleDefinitionId: z.uuid({ message: "Select a role." }),
    members: z
      .array(
        z.object({
          id: z.uuid({ message: "Select members from the list." }),
          type: z.enum(["User", "Group", "ServicePrincipal"], { message: "Select members from the list." }),
          displayName: storableString(),
        }),
      )
      .min(1, { message: "Select at least one member." })
      .max(20, { message: "Add at most 20 members at a time." }),
    directoryScopeId: storableString().regex(/^\/(administrativeUnits\/[0-9a-f-]{36})?$/i, {
      message: "Select a scope.",
    }),
    assignmentType: z.enum(["Eligible", "Active"], { message: "Choose Eligible or Active." }),
    permanent: z.boolean({ message: "Say whether the assignment is permanent." }),
    startDateTime: isoDate.optional(),
    endDateTime: isoDate.optional(),
    justification: storableString().trim().max(500, { message: "At most 500 characters." }),
  })
  .superRefine((v, ctx) => {
    if (v.assignmentType === "Eligible" && v.members.some((m) => m.type === "ServicePrincipal")) {
      ctx.addIssue({
        code: "custom",
        path: ["members"],
        message: "Service principals can only hold active assignments.",
      });
    }
    if (!v.permanent) {
      if (!v.endDateTime)
        ctx.addIssue({
          code: "custom",
          path: ["endDateTime"],
          message: "Enter when the assignment ends, or make it permanent.",
        });
      const end = v.endDateTime ? new Date(v.endDateTime).getTime() : null;
      const start = v.startDateTime ? new Date(v.startDateTime).getTime() : null;
      if (end !== null && start !== null && end <= start) {
        ctx.addIssue({
          code: "custom",
          path: ["endDateTime"],
          message: "The end date is before the start. Choose an end after the start.",
        });
      } else if (end !== null && start !== null && end - start < 5 * 60_000) {
        ctx.addIssue({
          code: "custom",
          path: ["endDateTime"],
          message: "The assignment must last at least 5 minutes.",
        });
      }
    }
  });
export type AddAssignmentsForm = z.infer<typeof addAssignmentsForm>;

export const rowActionForm = z
  .object({
    action: z.enum(["update", "extend", "renew", "remove"]),
    kind: z.enum(["eligibility", "assignment"]),
    scheduleId: z.uuid(),
    permanent: z.boolean(),
    startDateTime: isoDate.optional(),
    endDateTime: isoDate.optional(),
    justification: storableString().trim().max(500, { message: "At most 500 characters." }),
  })
  .superRefine((v, ctx) => {
    if (v.action !== "remove" && !v.permanent && !v.endDateTime) {
      ctx.addIssue({ code: "custom", path: ["endDateTime"], message: "Enter the new end, or make it permanent." });
    }
    if (v.action === "remove" && v.justification.length === 0) {
      ctx.addIssue({ code: "custom", path: ["justification"], message: "Say why you remove this assignment." });
    }
  });
export type RowActionForm = z.infer<typeof rowActionForm>;
