"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { storableString } from "@/lib/validation/text";
import { OIDC_PROVIDER_ID, oidcEnabled, signIn, signOut, unstable_update } from "@/lib/auth/auth";
import { confirmEnrolment, mfaMessage, verifyTotp, type MfaCtx, type VerifyResult } from "@/lib/auth/mfa";
import { safeReturnTo } from "@/lib/auth/return-to";
import { getSessionUser } from "@/lib/auth/session";
import { revokeSession, rotateSessionAfterMfa } from "@/lib/auth/sessions";
import { withMfaLog } from "@/lib/auth/sign-in-log";
import { getCtx } from "@/lib/server-db";
import { firstErrorPerField } from "@/lib/validation/field-errors";

/** What the sign-in and MFA forms show after a failed submit. */
export type AuthFormState = {
  message?: string;
  fieldErrors?: Record<string, string>;
  /** ISO time: the form shows it in the browser's time zone. */
  lockedUntil?: string;
  /** Increments per answer, so the form can move focus even when the message repeats. */
  attempt?: number;
  /** Given back so the form keeps it (React resets a form after its action). */
  identifier?: string;
};

const INCORRECT =
  "Your account or password is incorrect. If you don't remember your password, ask your administrator to reset it.";
const SESSION_ENDED = "Your sign-in has expired. Sign in again.";

const signInInput = z.object({
  identifier: storableString()
    .trim()
    .min(1, { message: "Enter a valid email address or user principal name." })
    .max(320),
  password: storableString().min(1, { message: "Please enter your password." }).max(1024),
  returnTo: storableString().max(2000).optional(),
});

const mfaCtx = async (): Promise<MfaCtx> => ({ ...(await getCtx()), totpNow: () => new Date() });
const next = (state: AuthFormState | undefined): number => (state?.attempt ?? 0) + 1;
const returnParam = (r: string | null) => (r ? `?returnTo=${encodeURIComponent(r)}` : "");

export async function signInAction(prev: AuthFormState | undefined, form: FormData): Promise<AuthFormState> {
  const parsed = signInInput.safeParse({
    identifier: form.get("identifier") ?? "",
    password: form.get("password") ?? "",
    returnTo: form.get("returnTo") ?? undefined,
  });
  if (!parsed.success) {
    return {
      fieldErrors: firstErrorPerField(parsed.error),
      attempt: next(prev),
      identifier: String(form.get("identifier") ?? "").slice(0, 320),
    };
  }
  // A new sign-in never continues an older session in this browser.
  const previous = await getSessionUser();
  if (previous) await revokeSession(await getCtx(), previous.sessionId);
  try {
    await signIn("credentials", {
      identifier: parsed.data.identifier,
      password: parsed.data.password,
      redirect: false,
    });
  } catch (err) {
    if (err instanceof AuthError && err.type === "CredentialsSignin") {
      const code = (err as AuthError & { code?: string }).code;
      return {
        message:
          code === "disabled"
            ? "Your account has been disabled. Contact your administrator."
            : code === "locked"
              ? "Your account is temporarily locked to prevent unauthorized use: too many wrong passwords. Try again in a few minutes."
              : INCORRECT,
        attempt: next(prev),
        identifier: parsed.data.identifier,
      };
    }
    throw err;
  }
  redirect(`/mfa${returnParam(safeReturnTo(parsed.data.returnTo))}`);
}

export async function oidcSignInAction(form: FormData): Promise<void> {
  if (!oidcEnabled()) redirect("/sign-in");
  const back = safeReturnTo(String(form.get("returnTo") ?? ""));
  const previous = await getSessionUser();
  if (previous) await revokeSession(await getCtx(), previous.sessionId);
  await signIn(OIDC_PROVIDER_ID, { redirectTo: back ?? "/overview" });
}

function refusal(r: Exclude<VerifyResult, { ok: true }>, prev: AuthFormState | undefined): AuthFormState {
  return {
    message: mfaMessage(r),
    lockedUntil: r.reason === "locked" ? r.lockedUntil.toISOString() : undefined,
    attempt: next(prev),
  };
}

/** After a passed challenge: a new session row and a new token naming it (the old token stops working). */
async function rotateAndGo(sessionId: string, returnTo: string | null): Promise<AuthFormState | never> {
  const fresh = await rotateSessionAfterMfa(await getCtx(), sessionId);
  if (!fresh) return { message: SESSION_ENDED };
  // This request alone knows the new row's id: the token is re-issued for it; the old token is dead already.
  await unstable_update({ rotatedTo: fresh.id });
  redirect(returnTo ?? "/overview");
}

export async function verifyMfaAction(prev: AuthFormState | undefined, form: FormData): Promise<AuthFormState> {
  const user = await getSessionUser();
  if (!user) return { message: SESSION_ENDED, attempt: next(prev) };
  const code = String(form.get("code") ?? "");
  const source = { clientIp: user.clientIp, userAgent: user.userAgent };
  const r = await withMfaLog(await mfaCtx(), user.id, source, (c) => verifyTotp(c, user.id, code));
  if (!r.ok) {
    if (r.reason === "not-enrolled")
      redirect(`/mfa/enroll${returnParam(safeReturnTo(String(form.get("returnTo") ?? "")))}`);
    return refusal(r, prev);
  }
  return rotateAndGo(user.sessionId, safeReturnTo(String(form.get("returnTo") ?? "")));
}

export async function confirmEnrolmentAction(prev: AuthFormState | undefined, form: FormData): Promise<AuthFormState> {
  const user = await getSessionUser();
  if (!user) return { message: SESSION_ENDED, attempt: next(prev) };
  const source = { clientIp: user.clientIp, userAgent: user.userAgent };
  const code = String(form.get("code") ?? "");
  const r = await withMfaLog(await mfaCtx(), user.id, source, (c) => confirmEnrolment(c, user.id, code));
  if (!r.ok) return refusal(r, prev);
  return rotateAndGo(user.sessionId, safeReturnTo(String(form.get("returnTo") ?? "")));
}

/** Sign-out: the session row is revoked first, so the old cookie is worthless even if a copy survives. */
export async function signOutAction(): Promise<void> {
  const user = await getSessionUser();
  if (user) await revokeSession(await getCtx(), user.sessionId);
  await signOut({ redirectTo: "/sign-in?signedOut=1" });
}
