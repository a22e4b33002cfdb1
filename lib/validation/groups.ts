import { z } from "zod";
import { justification } from "./pim";

/** The two kinds of access PIM governs on a group (Graph's `accessId`). */
export const groupAccessId = z.enum(["member", "owner"], { message: "Choose member or owner." });

export const manageGroupInput = z.object({
  groupId: z.uuid({ message: "Choose a group." }),
  justification,
});
export type ManageGroupInput = z.input<typeof manageGroupInput>;
