import { formatMinutes } from "@/components/ui/time-format";
import { activateRoleInput } from "@/lib/validation/pim";
import type { ActivationPolicy } from "./types";

/**
 * The Activate form's schema: the server's `activateRoleInput` plus the role's policy (maximum duration,
 * justification, ticket), so people see the same rules before submitting. The use case checks them again.
 */
export function activationSchemaFor(roleName: string, p: ActivationPolicy) {
  return activateRoleInput.superRefine((v, ctx) => {
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
