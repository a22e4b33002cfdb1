"use client";

import { resetUserMfaAction } from "./actions";
import { JustifiedConfirm } from "@/components/ui/justified-confirm";
import { resetUserMfaInput } from "@/lib/validation/reset-mfa";
import type { UserRow } from "./types";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * "Reset MFA of Remy Reset?": clears the person's authenticator, ends their sessions and revokes their
 * personal API tokens; their next sign-in asks them to set one up again. Justification required.
 */
export function ResetMfaDialog({ user, onClose }: { user: UserRow; onClose: () => void }) {
  return (
    <JustifiedConfirm
      title={`Reset MFA of ${user.displayName}?`}
      testId="reset-mfa-dialog"
      hint="Why the MFA is reset, e.g. the ticket of the lost phone."
      confirmLabel="Reset MFA"
      pendingLabel="Resetting…"
      input={{ userId: user.id }}
      schema={resetUserMfaInput}
      action={resetUserMfaAction}
      done={(d) => {
        const counts = [
          d.sessionsEnded > 0 ? `${plural(d.sessionsEnded, "session")} ended` : null,
          d.tokensRevoked > 0 ? `${plural(d.tokensRevoked, "API token")} revoked` : null,
        ].filter(Boolean);
        return `MFA of ${d.displayName} is reset. They set up an authenticator at their next sign-in${counts.length ? ` (${counts.join(", ")})` : ""}.`;
      }}
      onClose={onClose}
    >
      <p className="mb-3 text-sm">
        {user.displayName} ({user.userPrincipalName}) loses the registered authenticator, is signed out everywhere and
        their personal API tokens are revoked. At the next sign-in they scan a new QR code before they can continue.
      </p>
    </JustifiedConfirm>
  );
}
