"use client";

import { forwardRef, useId, type ComponentProps, type ReactNode } from "react";
import { cn } from "./cn";

export const inputClass =
  "w-full rounded-sm border border-neutral-500 bg-white px-2 py-1.5 text-sm text-neutral-900 outline-none focus:border-[#0078d4] focus:ring-1 focus:ring-[#0078d4] aria-[invalid=true]:border-red-700 disabled:bg-neutral-100 disabled:text-neutral-600";

/** What <Field> hands its control: spread it onto the input/select/textarea. */
export type FieldControlProps = {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
  "aria-required"?: true;
};

type FieldProps = {
  label: ReactNode;
  /** Help under the control ("Maximum 8 hours"); linked with aria-describedby. */
  hint?: ReactNode;
  /** The field's error; linked with aria-describedby, announced (aria-live), sets aria-invalid. */
  error?: string | string[];
  required?: boolean;
  /** Render prop receiving the ids/aria props for the control. */
  children: (control: FieldControlProps) => ReactNode;
  className?: string;
};

/**
 * A labelled form field: label, control, hint and per-field error wired with aria-describedby, the error
 * in an aria-live region so it is read when it appears (next-learn's pattern).
 * `<Field label="Justification" error={errors.justification?.message} required>{(p) => <TextArea {...p} {...register("justification")} />}</Field>`
 */
export function Field({ label, hint, error, required, children, className }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errId = `${id}-error`;
  const message = Array.isArray(error) ? error[0] : error;
  const describedBy = [hint ? hintId : null, message ? errId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("mb-4", className)}>
      <label htmlFor={id} className="mb-1 block text-sm font-semibold text-neutral-800">
        {label}
        {required && (
          <span className="text-red-700" aria-hidden>
            {" "}
            *
          </span>
        )}
      </label>
      {children({
        id,
        "aria-describedby": describedBy,
        "aria-invalid": message ? true : undefined,
        "aria-required": required ? true : undefined,
      })}
      {hint && (
        <p id={hintId} className="mt-1 text-xs text-neutral-700">
          {hint}
        </p>
      )}
      <p id={errId} aria-live="polite" className={cn("text-sm text-red-700", message && "mt-1")}>
        {message}
      </p>
    </div>
  );
}

export const TextInput = forwardRef<HTMLInputElement, ComponentProps<"input">>(function TextInput(
  { className, ...p },
  ref,
) {
  return <input ref={ref} {...p} className={cn(inputClass, className)} />;
});

export const TextArea = forwardRef<HTMLTextAreaElement, ComponentProps<"textarea">>(function TextArea(
  { className, ...p },
  ref,
) {
  return <textarea ref={ref} rows={3} {...p} className={cn(inputClass, className)} />;
});

export const Select = forwardRef<HTMLSelectElement, ComponentProps<"select">>(function Select(
  { className, ...p },
  ref,
) {
  return <select ref={ref} {...p} className={cn(inputClass, className)} />;
});

/** A labelled checkbox. */
export const Checkbox = forwardRef<HTMLInputElement, ComponentProps<"input"> & { label: ReactNode; hint?: ReactNode }>(
  function Checkbox({ label, hint, id, ...p }, ref) {
    const auto = useId();
    const cid = id ?? auto;
    return (
      <label htmlFor={cid} className="mb-3 flex items-start gap-2 text-sm text-neutral-900">
        <input ref={ref} type="checkbox" id={cid} {...p} className="mt-0.5 size-4 accent-[#0078d4]" />
        <span>
          {label}
          {hint && <span className="block text-xs text-neutral-700">{hint}</span>}
        </span>
      </label>
    );
  },
);
