import Link from "next/link";
import type { ComponentProps, ReactNode } from "react";
import { ChevronLeft, ChevronRight } from "lucide-react";

/** The blade title: "Perparims Cloud Solutions | Assignments" over "Privileged Identity Management | Microsoft Entra roles". */
export function BladeHeader({ title, subtitle, children }: { title: string; subtitle?: string; children?: ReactNode }) {
  return (
    <div className="mb-2">
      <h1 className="text-2xl font-semibold text-neutral-900">{title}</h1>
      {subtitle && <p className="text-sm text-neutral-600">{subtitle}</p>}
      {children}
    </div>
  );
}

/** The command bar under the title: a toolbar of flat buttons with icons. */
export function CommandBar({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div role="toolbar" aria-label={label} className="mb-3 flex flex-wrap items-center gap-1 border-b border-neutral-200 pb-2">
      {children}
    </div>
  );
}

export const commandClass =
  "inline-flex items-center gap-1.5 rounded-sm px-2.5 py-1.5 text-sm text-neutral-900 hover:bg-neutral-100 focus-visible:outline-2 focus-visible:outline-[#0078d4] disabled:cursor-not-allowed disabled:text-neutral-500 [&_svg]:size-4 [&_svg]:text-[#0078d4]";

export function CommandButton(props: ComponentProps<"button">) {
  return <button type="button" {...props} className={commandClass} />;
}

export function CommandLink(props: ComponentProps<typeof Link>) {
  return <Link {...props} className={commandClass} />;
}

/** "Showing 1 - N of M results." with Previous / Next links (keyset cursors in the URL). */
export function ResultsFooter({
  from,
  count,
  total,
  prevHref,
  nextHref,
}: {
  from: number;
  count: number;
  total: number;
  prevHref?: string | null;
  nextHref?: string | null;
}) {
  const start = count === 0 ? 0 : from;
  const end = count === 0 ? 0 : from + count - 1;
  const nav = "inline-flex items-center gap-1 rounded-sm px-2 py-1 text-sm text-[#0078d4] hover:bg-neutral-100 focus-visible:outline-2 focus-visible:outline-[#0078d4]";
  return (
    <div className="mt-3 flex items-center justify-between gap-4 text-sm text-neutral-700">
      <p aria-live="polite">
        Showing {start} - {end} of {total} results.
      </p>
      {(prevHref || nextHref) && (
        <nav aria-label="Pages" className="flex gap-1">
          {prevHref ? (
            <Link href={prevHref} className={nav}>
              <ChevronLeft aria-hidden className="size-4" /> Previous
            </Link>
          ) : (
            <span className={`${nav} text-neutral-500`} aria-disabled>
              <ChevronLeft aria-hidden className="size-4" /> Previous
            </span>
          )}
          {nextHref ? (
            <Link href={nextHref} className={nav}>
              Next <ChevronRight aria-hidden className="size-4" />
            </Link>
          ) : (
            <span className={`${nav} text-neutral-500`} aria-disabled>
              Next <ChevronRight aria-hidden className="size-4" />
            </span>
          )}
        </nav>
      )}
    </div>
  );
}

/** Builds a query string from the non-empty values. */
export function qs(params: Record<string, string | number | null | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : "";
}
