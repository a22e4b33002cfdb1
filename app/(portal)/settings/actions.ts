"use server";

import { defineAction } from "@/lib/actions/define-action";
import { updatePimSettings } from "@/lib/pim/use-cases/update-pim-settings";
import { pimSettingsInput } from "@/lib/validation/governance";

/** Save PIM Settings; the use case authorizes (GA/PRA now) and audits before and after. */
export const updatePimSettingsAction = defineAction({
  input: pimSettingsInput,
  run: updatePimSettings,
  revalidate: ["/settings", "/access-reviews"],
});
