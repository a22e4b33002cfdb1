import type { ReactNode } from "react";
import { cn } from "./cn";

const tones = {
  info: "border-[#0078d4] bg-[#eff6fc]",
  warning: "border-[#c19c00] bg-[#fff4ce]",
  error: "border-red-700 bg-[#fde7e9]",
  success: "border-green-700 bg-[#dff6dd]",
};

/**
 * A message bar as the portal shows them above forms. Errors use role=alert (read at once), the others
 * role=status. Use for a form's overall result ("Approval rule: ...") next to per-field errors.
 */
export function Notice({
  tone = "info",
  children,
  id,
  className,
}: {
  tone?: keyof typeof tones;
  children: ReactNode;
  id?: string;
  className?: string;
}) {
  return (
    <div
      id={id}
      role={tone === "error" ? "alert" : "status"}
      className={cn("mb-3 border-l-4 px-3 py-2 text-sm text-neutral-900", tones[tone], className)}
    >
      {children}
    </div>
  );
}
