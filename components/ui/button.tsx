import type { ComponentProps, ReactNode } from "react";
import { Loader2 } from "lucide-react";
import { cn } from "./cn";

export type ButtonVariant = "primary" | "secondary" | "danger" | "command" | "link";

const base =
  "inline-flex items-center justify-center gap-1.5 rounded-sm text-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[#0078d4] disabled:cursor-not-allowed aria-disabled:cursor-not-allowed";
const variants: Record<ButtonVariant, string> = {
  primary:
    "bg-[#0078d4] px-4 py-1.5 font-semibold text-white hover:bg-[#106ebe] disabled:bg-neutral-300 disabled:text-neutral-700",
  secondary:
    "border border-neutral-500 bg-white px-4 py-1.5 font-semibold text-neutral-900 hover:bg-neutral-100 disabled:text-neutral-500",
  danger:
    "bg-[#a4262c] px-4 py-1.5 font-semibold text-white hover:bg-[#8e2126] disabled:bg-neutral-300 disabled:text-neutral-700",
  command:
    "px-2.5 py-1.5 text-neutral-900 hover:bg-neutral-100 disabled:text-neutral-500 [&_svg]:size-4 [&_svg]:text-[#0078d4] disabled:[&_svg]:text-neutral-500",
  link: "px-0.5 py-0.5 text-[#0078d4] hover:underline disabled:text-neutral-500 disabled:no-underline",
};

/** The class string of a button variant, for links that look like buttons. */
export function buttonClass(variant: ButtonVariant = "secondary", className?: string): string {
  return cn(base, variants[variant], className);
}

export type ButtonProps = ComponentProps<"button"> & {
  variant?: ButtonVariant;
  /** Shows a spinner, sets aria-busy and disables the button while an action runs. */
  pending?: boolean;
  /** Text while pending (default: the children). */
  pendingLabel?: ReactNode;
};

/**
 * A button in the portal's look. `type` defaults to "button" (forms pass type="submit").
 * Pending buttons stay in the tab order's place but are disabled and announce busy.
 */
export function Button({
  variant = "secondary",
  pending,
  pendingLabel,
  className,
  children,
  disabled,
  type,
  ...rest
}: ButtonProps) {
  return (
    <button
      type={type ?? "button"}
      {...rest}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
      className={buttonClass(variant, className)}
    >
      {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
      {pending && pendingLabel ? pendingLabel : children}
    </button>
  );
}
