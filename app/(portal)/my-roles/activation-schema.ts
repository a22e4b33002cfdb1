import { formatMinutes } from "@/components/ui/time-format";
import { MAX_START_AHEAD_DAYS, MAX_START_AHEAD_MS, START_SKEW_MS } from "@/lib/pim/rules/constants";
import { activateRoleInput } from "@/lib/validation/pim";
import type { ActivationPolicy } from "./types";

/**
 * The Activate form's schema: the server's `activateRoleInput` plus the role's policy (maximum duration,
 * justification, ticket), so people see the same rules before submitting. The use case checks them again.
 */
export function activationSchemaFor(roleName: string, p: ActivationPolicy, now: () => Date = () => new Date()) {
  return activateRoleInput.superRefine((v, ctx) => {
    const start = v.startDateTime?.getTime();
    if (start !== undefined && start < now().getTime() - START_SKEW_MS) {
      ctx.addIssue({
        code: "custom",
        path: ["startDateTime"],
        message:
          "The start time is in the past. Choose a time from now on, or untick Custom activation start time to activate now.",
      });
    }
    if (start !== undefined && start > now().getTime() + MAX_START_AHEAD_MS) {
      ctx.addIssue({
        code: "custom",
        path: ["startDateTime"],
        message: `A custom start can be at most ${MAX_START_AHEAD_DAYS} days from now.`,
      });
    }
    if (v.durationMinutes !== undefined && v.durationMinutes > p.activationMaxMinutes) {
      ctx.addIssue({
        code: "custom",
        path: ["durationMinutes"],
        message: `${roleName} can be activated for at most ${formatMinutes(p.activationMaxMinutes)}.`,
      });
    }
    if (p.requireJustification && !v.justification) {
      ctx.addIssue({ code: "custom", path: ["justification"], message: "Enter a justification." });
    }
    if (p.requireTicket && !v.ticketNumber)
      ctx.addIssue({ code: "custom", path: ["ticketNumber"], message: "Enter the ticket number." });
    if (p.requireTicket && !v.ticketSystem)
      ctx.addIssue({ code: "custom", path: ["ticketSystem"], message: "Enter the ticket system." });
  });
}
