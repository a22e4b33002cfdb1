import { useId, type ComponentProps, type ReactNode } from "react";

export const inputClass =
  "w-full rounded-sm border border-neutral-500 bg-white px-2 py-1.5 text-sm text-neutral-900 outline-none focus:border-[#0078d4] focus:ring-1 focus:ring-[#0078d4] aria-[invalid=true]:border-red-700 disabled:bg-neutral-100 disabled:text-neutral-600";

/**
 * A labelled form field with its hint and error wired by aria-describedby (next-learn's pattern).
 * `children` receives the ids and renders the control.
 */
export function Field({
  label,
  hint,
  error,
  required,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  children: (a: { id: string; "aria-describedby"?: string; "aria-invalid"?: true; "aria-required"?: true }) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errId = `${id}-err`;
  const describedBy = [hint ? hintId : null, error ? errId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="mb-4">
      <label htmlFor={id} className="mb-1 block text-sm font-semibold text-neutral-800">
        {label}
        {required && (
          <span className="text-red-700" aria-hidden>
            {" "}
            *
          </span>
        )}
      </label>
      {children({ id, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined, "aria-required": required ? true : undefined })}
      {hint && (
        <p id={hintId} className="mt-1 text-xs text-neutral-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={errId} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

export function Checkbox({ label, hint, ...props }: ComponentProps<"input"> & { label: ReactNode; hint?: ReactNode }) {
  const id = useId();
  return (
    <div className="mb-3">
      <label htmlFor={props.id ?? id} className="flex items-start gap-2 text-sm text-neutral-900">
        <input type="checkbox" id={props.id ?? id} {...props} className="mt-0.5 size-4 accent-[#0078d4]" />
        <span>
          {label}
          {hint && <span className="block text-xs text-neutral-600">{hint}</span>}
        </span>
      </label>
    </div>
  );
}

/** A message box: info (blue), warning (yellow) or error (red), as the portal shows them above forms. */
export function Notice({ tone = "info", children, id }: { tone?: "info" | "warning" | "error" | "success"; children: ReactNode; id?: string }) {
  const tones = {
    info: "border-[#0078d4] bg-[#eff6fc]",
    warning: "border-[#c19c00] bg-[#fff4ce]",
    error: "border-red-700 bg-[#fde7e9]",
    success: "border-green-700 bg-[#dff6dd]",
  };
  return (
    <div id={id} role={tone === "error" ? "alert" : "status"} className={`mb-3 border-l-4 px-3 py-2 text-sm text-neutral-900 ${tones[tone]}`}>
      {children}
    </div>
  );
}

export const primaryButton =
  "inline-flex items-center justify-center gap-1.5 rounded-sm bg-[#0078d4] px-4 py-1.5 text-sm font-semibold text-white hover:bg-[#106ebe] focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[#0078d4] disabled:cursor-not-allowed disabled:bg-neutral-300 disabled:text-neutral-700";
export const secondaryButton =
  "inline-flex items-center justify-center gap-1.5 rounded-sm border border-neutral-500 bg-white px-4 py-1.5 text-sm font-semibold text-neutral-900 hover:bg-neutral-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[#0078d4] disabled:cursor-not-allowed disabled:text-neutral-500";
export const dangerButton =
  "inline-flex items-center justify-center gap-1.5 rounded-sm bg-[#a4262c] px-4 py-1.5 text-sm font-semibold text-white hover:bg-[#8e2126] focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[#a4262c] disabled:cursor-not-allowed disabled:bg-neutral-300 disabled:text-neutral-700";
