"use client";

import { useActionState, useEffect, useRef } from "react";
import { authInputClass, primaryButtonClass } from "@/components/chrome/auth-card";
import { signInAction, type AuthFormState } from "../actions";

export function SignInForm({ returnTo, initialMessage }: { returnTo: string | null; initialMessage?: string }) {
  const [state, action, pending] = useActionState<AuthFormState | undefined, FormData>(signInAction, undefined);
  const identifierRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const message = state?.message ?? (state ? undefined : initialMessage);
  const idError = state?.fieldErrors?.identifier;
  const pwError = state?.fieldErrors?.password;

  // After a refusal, put the cursor where the person has to act.
  useEffect(() => {
    if (!state?.attempt) return;
    if (idError) identifierRef.current?.focus();
    else passwordRef.current?.focus();
  }, [state?.attempt, idError]);

  return (
    <form action={action} noValidate className="space-y-4" aria-describedby={message ? "sign-in-error" : undefined}>
      <input type="hidden" name="returnTo" value={returnTo ?? ""} />
      <p
        id="sign-in-error"
        aria-live="assertive"
        data-testid="sign-in-error"
        className="min-h-0 text-[15px] text-[#e81123] empty:hidden"
      >
        {message ?? ""}
      </p>
      <div>
        <label htmlFor="identifier" className="sr-only">
          Email or user principal name
        </label>
        <input
          ref={identifierRef}
          id="identifier"
          name="identifier"
          defaultValue={state?.identifier ?? ""}
          type="text"
          inputMode="email"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
          required
          placeholder="Email or user principal name"
          aria-invalid={Boolean(idError || message) || undefined}
          aria-describedby={idError ? "identifier-error" : message ? "sign-in-error" : undefined}
          className={authInputClass}
        />
        {idError ? (
          <p id="identifier-error" className="mt-1 text-[13px] text-[#e81123]">
            {idError}
          </p>
        ) : null}
      </div>
      <div>
        <label htmlFor="password" className="sr-only">
          Password
        </label>
        <input
          ref={passwordRef}
          key={state?.attempt ?? 0}
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          placeholder="Password"
          aria-invalid={Boolean(pwError || message) || undefined}
          aria-describedby={pwError ? "password-error" : message ? "sign-in-error" : undefined}
          className={authInputClass}
        />
        {pwError ? (
          <p id="password-error" className="mt-1 text-[13px] text-[#e81123]">
            {pwError}
          </p>
        ) : null}
      </div>
      <p className="text-[13px] text-neutral-600">
        Forgot your password or lost your authenticator? Ask a Privileged Role Administrator.
      </p>
      <div className="flex justify-end pt-2">
        <button type="submit" disabled={pending} className={primaryButtonClass}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </div>
    </form>
  );
}
