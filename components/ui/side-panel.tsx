"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { X } from "lucide-react";
import { cn } from "./cn";

type Props = {
  open: boolean;
  /** Called on Escape, the close button, or a click on the backdrop (not while `busy`). */
  onClose: () => void;
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  /** Buttons at the bottom (Activate, Cancel, ...). */
  footer?: ReactNode;
  /** "panel": Azure's right-hand context pane (default); "dialog": a centred confirmation. */
  variant?: "panel" | "dialog";
  wide?: boolean;
  /** While true, Escape and the backdrop do not close (an action is running). */
  busy?: boolean;
  /** data-testid of the <dialog>. */
  testId?: string;
};

/**
 * A modal side panel or dialog on the native <dialog> element opened with showModal(): the rest of the page
 * is inert (focus stays inside, screen readers see only the dialog), Escape closes, aria-modal and
 * aria-labelledby are set, focus goes to the first element marked `data-autofocus` (else the first
 * focusable one) and returns to the opener on close. Content is mounted only while open.
 */
export function SidePanel({
  open,
  onClose,
  title,
  subtitle,
  children,
  footer,
  variant = "panel",
  wide,
  busy,
  testId,
}: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement;
      d.showModal();
      const first = d.querySelector<HTMLElement>("[data-autofocus]");
      first?.focus();
    } else if (!open && d.open) {
      d.close();
      if (opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
    }
  }, [open]);

  // Callers often unmount the panel instead of passing open={false}: give focus back then too.
  useEffect(
    () => () => {
      const o = opener.current;
      if (ref.current?.open) ref.current.close();
      if (o instanceof HTMLElement && o.isConnected) o.focus();
    },
    [],
  );

  const panel = variant === "panel";
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-modal="true"
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onClose();
      }}
      onClick={(e) => {
        if (e.target === ref.current && !busy) onClose();
      }}
      className={cn(
        "bg-white p-0 text-neutral-900 shadow-2xl backdrop:bg-black/30",
        panel
          ? cn(
              "fixed inset-y-0 right-0 left-auto m-0 h-full max-h-none w-full border-l border-neutral-300",
              wide ? "max-w-2xl" : "max-w-lg",
            )
          : "m-auto w-full max-w-md rounded-sm border border-neutral-300",
      )}
    >
      {open && (
        <div className={cn("flex flex-col", panel && "h-full")}>
          <header className="flex items-start justify-between gap-4 border-b border-neutral-200 px-6 py-4">
            <div>
              <h2 id={titleId} className="text-xl font-semibold">
                {title}
              </h2>
              {subtitle && <div className="mt-0.5 text-sm text-neutral-600">{subtitle}</div>}
            </div>
            <button
              type="button"
              onClick={onClose}
              disabled={busy}
              aria-label="Close"
              className="rounded-sm p-1 text-neutral-700 hover:bg-neutral-100 focus-visible:outline-2 focus-visible:outline-[#0078d4] disabled:text-neutral-400"
            >
              <X aria-hidden className="size-5" />
            </button>
          </header>
          <div className={cn("px-6 py-4", panel && "flex-1 overflow-y-auto")}>{children}</div>
          {footer && <footer className="flex gap-2 border-t border-neutral-200 px-6 py-3">{footer}</footer>}
        </div>
      )}
    </dialog>
  );
}
