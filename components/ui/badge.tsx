import type { ReactNode } from "react";
import { cn } from "./cn";

export type BadgeTone = "neutral" | "info" | "success" | "warning" | "danger";

const tones: Record<BadgeTone, string> = {
  neutral: "bg-neutral-100 text-neutral-800 border-neutral-300",
  info: "bg-[#eff6fc] text-[#004578] border-[#c7e0f4]",
  success: "bg-[#dff6dd] text-[#0b5a08] border-[#9fd89f]",
  warning: "bg-[#fff4ce] text-[#6d5700] border-[#f2d675]",
  danger: "bg-[#fde7e9] text-[#8e192e] border-[#f1bbbc]",
};

/** A small pill with text (colour is never the only signal: the words carry the meaning). */
export function Badge({
  tone = "neutral",
  children,
  className,
}: {
  tone?: BadgeTone;
  children: ReactNode;
  className?: string;
}) {
  return (
    <span
      className={cn(
        "inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-semibold whitespace-nowrap",
        tones[tone],
        className,
      )}
    >
      {children}
    </span>
  );
}
