import type { ReactNode } from "react";

/** The centred white card of Microsoft's sign-in pages, with the portal's name above the title. */
export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center bg-[#f2f2f2] px-4 py-10">
      <div className="w-full max-w-[440px] bg-white px-11 py-10 shadow-[0_2px_6px_rgba(0,0,0,0.2)]">
        <p className="flex items-center gap-2 text-[15px] font-semibold text-neutral-700">
          <PortalMark />
          PIM Portal
        </p>
        <h1 className="mt-4 text-2xl font-semibold text-[#1b1b1b]">{title}</h1>
        <div className="mt-3">{children}</div>
      </div>
      {footer ? <div className="mt-4 w-full max-w-[440px] text-xs text-neutral-600">{footer}</div> : null}
    </main>
  );
}

/** Four squares, in the portal blue (not Microsoft's logo). */
export function PortalMark({ className = "h-5 w-5" }: { className?: string }) {
  return (
    <svg viewBox="0 0 20 20" aria-hidden className={className}>
      <rect x="0" y="0" width="9" height="9" fill="#0078d4" />
      <rect x="11" y="0" width="9" height="9" fill="#50e6ff" />
      <rect x="0" y="11" width="9" height="9" fill="#50e6ff" />
      <rect x="11" y="11" width="9" height="9" fill="#0078d4" />
    </svg>
  );
}

export const authInputClass =
  "block w-full border-0 border-b border-neutral-500 bg-transparent px-0 py-1.5 text-[15px] text-neutral-900 placeholder:text-neutral-500 focus:border-[#0067b8] focus:outline-none focus-visible:outline-none aria-[invalid=true]:border-[#e81123]";

export const primaryButtonClass =
  "min-w-[108px] bg-[#0067b8] px-3 py-1.5 text-[15px] text-white hover:bg-[#005da6] focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-black disabled:opacity-60";

export const secondaryButtonClass =
  "min-w-[108px] bg-neutral-200 px-3 py-1.5 text-[15px] text-neutral-900 hover:bg-neutral-300 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-black";
