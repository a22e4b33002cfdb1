"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { X } from "lucide-react";

type Props = {
  open: boolean;
  onClose: () => void;
  title: string;
  subtitle?: string;
  children: ReactNode;
  /** Buttons at the bottom (Assign, Cancel, ...). */
  footer?: ReactNode;
  wide?: boolean;
};

/**
 * The Azure portal's context pane: a modal <dialog> sliding in from the right. The native dialog gives
 * focus containment, Escape to close and inert background for free; focus returns to the opener on close.
 */
export function SidePanel({ open, onClose, title, subtitle, children, footer, wide }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement;
      d.showModal();
    } else if (!open && d.open) {
      d.close();
      if (opener.current instanceof HTMLElement) opener.current.focus();
    }
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby="side-panel-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === ref.current) onClose();
      }}
      className={`fixed inset-y-0 right-0 left-auto m-0 h-full max-h-none w-full ${wide ? "max-w-2xl" : "max-w-lg"} border-l border-neutral-300 bg-white p-0 shadow-2xl backdrop:bg-black/30`}
    >
      {open && (
        <div className="flex h-full flex-col">
          <header className="flex items-start justify-between gap-4 border-b border-neutral-200 px-6 py-4">
            <div>
              <h2 id="side-panel-title" className="text-xl font-semibold text-neutral-900">
                {title}
              </h2>
              {subtitle && <p className="mt-0.5 text-sm text-neutral-600">{subtitle}</p>}
            </div>
            <button
              type="button"
              onClick={onClose}
              aria-label="Close"
              className="rounded-sm p-1 text-neutral-700 hover:bg-neutral-100 focus-visible:outline-2 focus-visible:outline-[#0078d4]"
            >
              <X aria-hidden className="size-5" />
            </button>
          </header>
          <div className="flex-1 overflow-y-auto px-6 py-4">{children}</div>
          {footer && <footer className="flex gap-2 border-t border-neutral-200 px-6 py-3">{footer}</footer>}
        </div>
      )}
    </dialog>
  );
}
