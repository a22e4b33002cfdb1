"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions/result";

/**
 * The state of a form that creates something the server shows once (an API token, a SCIM token, a webhook
 * endpoint's signing secret): `submit` (a form action) clears the last refusal, runs `run` with the form's data
 * and keeps either what was created (for `ShownOnceSecret`; `onCreated` runs then) or the refusal in words and
 * per field.
 */
export function useCreateOnce<T>(run: (form: FormData) => Promise<ActionResult<T>>, onCreated?: (created: T) => void) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [created, setCreated] = useState<T | null>(null);
  const submit = (form: FormData) => {
    setError(null);
    setFieldErrors({});
    start(async () => {
      const r = await run(form);
      if (r.ok) {
        setCreated(r.data);
        onCreated?.(r.data);
      } else {
        setError(r.message);
        setFieldErrors(r.fieldErrors ?? {});
      }
    });
  };
  return { pending, error, fieldErrors, created, submit };
}

/** A field's refusal under it; `id` is what the control's `aria-describedby` names. */
export function FieldErrorText({ id, errors }: { id?: string; errors: string[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="text-sm text-[#a4262c]">
      {errors.join(" ")}
    </p>
  );
}

/** The form's refusal, announced at once (`role="alert"`); `id` is what the form's `aria-describedby` names. */
export function FormErrorText({ id, error, className }: { id: string; error: string | null; className?: string }) {
  if (!error) return null;
  return (
    <p id={id} role="alert" aria-live="assertive" className={`text-sm text-[#a4262c] ${className ?? ""}`.trim()}>
      {error}
    </p>
  );
}

/**
 * A row's Revoke link (API tokens, SCIM tokens): asks `confirmText` first when given, runs `revoke`, and shows
 * the refusal beside it.
 */
export function RevokeButton({
  name,
  confirmText,
  revoke,
}: {
  /** The revoked thing's name, for the accessible label ("Revoke ci"). */
  name: string;
  confirmText?: string;
  revoke: () => Promise<ActionResult<unknown>>;
}) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span>
      <button
        type="button"
        disabled={pending}
        aria-label={`Revoke ${name}`}
        className="text-sm text-[#a4262c] hover:underline disabled:opacity-60"
        onClick={() =>
          start(async () => {
            if (confirmText && !window.confirm(confirmText)) return;
            const r = await revoke();
            if (!r.ok) setError(r.message);
          })
        }
      >
        Revoke
      </button>
      {error ? (
        <span role="alert" className="ml-2 text-xs text-[#a4262c]">
          {error}
        </span>
      ) : null}
    </span>
  );
}
