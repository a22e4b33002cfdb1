"use client";

import { JustifiedConfirm } from "@/components/ui/justified-confirm";
import { setUserEnabledInput } from "@/lib/validation/set-user-enabled";
import { setUserEnabledAction } from "./actions";
import type { UserRow } from "./types";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * "Disable Dana Disabled?" / "Enable Dana Disabled?": what happens to the person's access, a required
 * justification (same schema as the server), a toast with what was done.
 */
export function SetEnabledDialog({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const enabling = !user.accountEnabled;
  const verb = enabling ? "Enable" : "Disable";
  return (
    <JustifiedConfirm
      title={`${verb} ${user.displayName}?`}
      testId="set-enabled-dialog"
      hint={`Why the account is ${enabling ? "enabled" : "disabled"}, e.g. the ticket.`}
      confirmLabel={`${verb} user`}
      pendingLabel={enabling ? "Enabling…" : "Disabling…"}
      tone={enabling ? "primary" : "danger"}
      input={{ userId: user.id, enabled: enabling }}
      schema={setUserEnabledInput}
      action={setUserEnabledAction}
      done={(d) => {
        if (enabling) return `${d.displayName} is enabled and can sign in again. Roles that ended stay ended.`;
        const done = [
          plural(d.sessionsEnded, "session") + " ended",
          plural(d.tokensRevoked, "API token") + " revoked",
          plural(d.requestsCanceled, "pending request") + " canceled",
          plural(d.activationsEnded, "active role") + " ended",
        ];
        return `${d.displayName} is disabled: ${done.join(", ")}. Eligible and assigned roles are kept.`;
      }}
      onClose={onClose}
    >
      {enabling ? (
        <p className="mb-3 text-sm">
          {user.displayName} ({user.userPrincipalName}) can sign in again, and their eligible and assigned roles apply
          again. Activations and requests that ended when the account was disabled do not come back: they activate again
          in My roles.
        </p>
      ) : (
        <>
          <p className="mb-2 text-sm">
            {user.displayName} ({user.userPrincipalName}) can no longer sign in, and at once:
          </p>
          <ul className="mb-3 list-disc pl-5 text-sm">
            <li>every session ends (open browsers are sent to sign-in);</li>
            <li>their personal API tokens are revoked;</li>
            <li>pending requests they made or that are for them are canceled (approvers are told);</li>
            <li>their active role activations end now.</li>
          </ul>
          <p className="mb-3 text-sm">
            Eligible and admin-assigned roles are kept but grant nothing while the account is disabled.
          </p>
        </>
      )}
    </JustifiedConfirm>
  );
}
