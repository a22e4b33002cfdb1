"use server";

import { defineAction } from "@/lib/actions/define-action";
import { dismissAlert, fixAlertItem, refreshAlerts, updateAlertSettings } from "@/lib/pim/use-cases/alerts";
import { alertSettingsInput, dismissAlertInput, fixAlertInput, refreshAlertsInput } from "@/lib/validation/governance";

/** Alert commands. Server actions are public endpoints: each use case authorizes on database state (GA/PRA now). */
export const refreshAlertsAction = defineAction({
  input: refreshAlertsInput,
  run: async (ctx, actor) => {
    const r = await refreshAlerts(ctx, actor);
    return { active: r.evaluations.filter((e) => e.active).length };
  },
  revalidate: [{ path: "/alerts", type: "layout" }],
});

export const dismissAlertAction = defineAction({
  input: dismissAlertInput,
  run: dismissAlert,
  revalidate: [{ path: "/alerts", type: "layout" }],
});

export const fixAlertAction = defineAction({
  input: fixAlertInput,
  run: fixAlertItem,
  revalidate: [{ path: "/alerts", type: "layout" }, "/assignments"],
});

export const updateAlertSettingsAction = defineAction({
  input: alertSettingsInput,
  run: updateAlertSettings,
  revalidate: [{ path: "/alerts", type: "layout" }],
});
