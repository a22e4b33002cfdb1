"use server";

import { defineAction } from "@/lib/actions/define-action";
import { updatePimSettings } from "@/lib/pim/use-cases/update-pim-settings";
import { setPimManagers } from "@/lib/pim/use-cases/set-pim-managers";
import { pimSettingsInput, setPimManagersInput } from "@/lib/validation/governance";

/** Save PIM Settings; the use case authorizes (GA/PRA now) and audits before and after. */
export const updatePimSettingsAction = defineAction({
  input: pimSettingsInput,
  run: updatePimSettings,
  revalidate: ["/settings", "/access-reviews"],
});

/** Who may manage PIM (GA and PRA, or GA only); the use case guards against locking oneself out and audits. */
export const setPimManagersAction = defineAction({
  input: setPimManagersInput,
  run: setPimManagers,
  revalidate: [{ path: "/", type: "layout" }],
});
