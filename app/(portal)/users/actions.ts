"use server";

import { defineAction } from "@/lib/actions/define-action";
import { hashPassword } from "@/lib/auth/password";
import { resetUserMfa } from "@/lib/pim/use-cases/reset-user-mfa";
import { resetUserMfaInput } from "@/lib/validation/reset-mfa";
import { createUser } from "@/lib/pim/use-cases/create-user";
import { setUserEnabled } from "@/lib/pim/use-cases/set-user-enabled";
import { createUserInput } from "@/lib/validation/create-user";
import { setUserEnabledInput } from "@/lib/validation/set-user-enabled";

/**
 * "+ New user". A server action is a public endpoint: the page hiding the button is not the check.
 * The use case authorizes on database state (an active User Administrator or Global Administrator now).
 */
export const createUserAction = defineAction({
  input: createUserInput,
  run: (ctx, actor, input) => createUser(ctx, actor, input, { hashPassword }),
  revalidate: ["/users"],
});

/**
 * "Disable" / "Enable" on a row. The use case authorizes on database state (User Administrator or Global
 * Administrator now; GA or PRA for a privileged person; never oneself or the last GA) and does the rest
 * in one transaction.
 */
export const setUserEnabledAction = defineAction({
  input: setUserEnabledInput,
  run: setUserEnabled,
  revalidate: ["/users"],
});

/**
 * "Reset MFA": recovery for a person who lost their authenticator. The use case authorizes on database
 * state (GA or PRA held now) and audits in its transaction.
 */
export const resetUserMfaAction = defineAction({
  input: resetUserMfaInput,
  run: resetUserMfa,
  revalidate: ["/users"],
});
