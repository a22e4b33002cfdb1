"use server";

import { defineAction } from "@/lib/actions/define-action";
import { manageGroup } from "@/lib/pim/use-cases/manage-group";
import { manageGroupInput } from "@/lib/validation/groups";

/** Brings a group under PIM. The use case checks GA/PRA held now on the database and audits. */
export const manageGroupAction = defineAction({
  input: manageGroupInput,
  run: manageGroup,
  revalidate: ["/groups"],
  data: (g) => ({ groupId: g.groupId, memberDefinitionId: g.memberDefinitionId }),
});
