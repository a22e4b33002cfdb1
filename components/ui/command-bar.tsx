"use client";

import Link from "@/components/ui/link";
import type { ComponentProps, KeyboardEvent, ReactNode } from "react";
import { Button, buttonClass } from "./button";

const focusables = (bar: HTMLElement) =>
  Array.from(bar.querySelectorAll<HTMLElement>("button:not([disabled]), a[href], [data-command]")).filter(
    (el) => el.offsetParent !== null,
  );

/**
 * The blade's command bar (`+ Add assignments | Settings | Refresh | Export`): a toolbar of flat buttons.
 * Keyboard: Tab enters the bar, Left/Right/Home/End move between commands (WAI-ARIA toolbar pattern).
 */
export function CommandBar({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!["ArrowLeft", "ArrowRight", "Home", "End"].includes(e.key)) return;
    const items = focusables(e.currentTarget);
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (i < 0 || items.length === 0) return;
    e.preventDefault();
    const next =
      e.key === "Home"
        ? 0
        : e.key === "End"
          ? items.length - 1
          : (i + (e.key === "ArrowRight" ? 1 : -1) + items.length) % items.length;
    items[next]?.focus();
  };
  return (
    <div
      role="toolbar"
      aria-label={label}
      onKeyDown={onKeyDown}
      className={`mb-3 flex flex-wrap items-center gap-1 border-b border-neutral-200 pb-2 ${className ?? ""}`}
    >
      {children}
    </div>
  );
}

/** A command: icon (aria-hidden) + words. Accepts every button prop, plus `pending`. */
export function CommandButton(props: Omit<ComponentProps<typeof Button>, "variant">) {
  return <Button {...props} variant="command" />;
}

/** A command that navigates (e.g. Settings). */
export function CommandLink({ className, ...props }: ComponentProps<typeof Link>) {
  return <Link {...props} className={buttonClass("command", className)} />;
}
