"use client";

import { useActionState, useEffect, useRef, useSyncExternalStore } from "react";
import { authInputClass, primaryButtonClass } from "@/components/chrome/auth-card";
import { confirmEnrolmentAction, verifyMfaAction, type AuthFormState } from "../actions";

/** "Too many wrong codes. Try again after 09:15." in the browser's own time zone (UTC before hydration). */
function lockedSentence(iso: string, local: boolean): string {
  const d = new Date(iso);
  const hhmm = local
    ? d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false })
    : `${d.toISOString().slice(11, 16)} UTC`;
  return `Too many wrong codes. Try again after ${hhmm}.`;
}

const noSubscribe = () => () => {};

type Props = {
  mode: "verify" | "enroll";
  returnTo: string | null;
  /** Set when the page loads while MFA is locked. */
  lockedUntil?: string | null;
  submitLabel?: string;
  describedBy?: string;
};

export function CodeForm({ mode, returnTo, lockedUntil, submitLabel = "Verify", describedBy }: Props) {
  const [state, action, pending] = useActionState<AuthFormState | undefined, FormData>(
    mode === "verify" ? verifyMfaAction : confirmEnrolmentAction,
    undefined,
  );
  // false while rendering on the server and hydrating, true afterwards (then the browser's time zone is known).
  const local = useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (state?.attempt) inputRef.current?.focus();
  }, [state?.attempt]);

  const locked = state ? state.lockedUntil : (lockedUntil ?? undefined);
  const message = locked ? lockedSentence(locked, local) : state?.message;
  const hint = describedBy ? `${describedBy} ` : "";

  return (
    <form action={action} noValidate className="space-y-4" data-testid="code-form" data-attempt={state?.attempt ?? 0}>
      <input type="hidden" name="returnTo" value={returnTo ?? ""} />
      <p
        id="code-error"
        aria-live="assertive"
        data-testid="mfa-error"
        className="text-[15px] text-[#e81123] empty:hidden"
      >
        {message ?? ""}
      </p>
      <div>
        <label htmlFor="code" className="sr-only">
          Code
        </label>
        <input
          ref={inputRef}
          key={state?.attempt ?? 0}
          id="code"
          name="code"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          maxLength={7}
          autoFocus
          required
          placeholder="Code"
          aria-invalid={Boolean(message) || undefined}
          aria-describedby={`${hint}${message ? "code-error" : ""}`.trim() || undefined}
          className={`${authInputClass} tracking-[0.2em] placeholder:tracking-normal`}
        />
      </div>
      <div className="flex justify-end pt-2">
        <button type="submit" disabled={pending} className={primaryButtonClass}>
          {pending ? "Checking…" : submitLabel}
        </button>
      </div>
    </form>
  );
}
