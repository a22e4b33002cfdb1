import Link from "@/components/ui/link";
import { ChevronLeft, ChevronRight } from "lucide-react";

type Props = {
  /** 1-based number of the first row shown. */
  from: number;
  /** Rows on this page. */
  count: number;
  /** Rows in the whole (filtered) list; a capped count (`exact: false`) reads "1,000+". */
  total: number | { n: number; exact: boolean };
  /** Link to the previous / next page; absent = disabled. */
  prevHref?: string | null;
  nextHref?: string | null;
};

const nav =
  "inline-flex items-center gap-1 rounded-sm px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-[#0078d4]";

/** "8", or "1,000+" for a count that stopped at its cap (pages never count millions of rows). */
export function countText(total: number | { n: number; exact: boolean }): string {
  if (typeof total === "number") return String(total);
  return total.exact ? String(total.n) : `${total.n.toLocaleString("en-US")}+`;
}

/** The blade's footer: "Showing 1 - N of M results." with Previous / Next (server-side keyset pages). */
export function TableFooter({ from, count, total, prevHref, nextHref }: Props) {
  const start = count === 0 ? 0 : from;
  const end = count === 0 ? 0 : from + count - 1;
  return (
    <div className="mt-3 flex items-center justify-between gap-4 text-sm text-neutral-700">
      <p aria-live="polite">
        Showing {start} - {end} of {countText(total)} results.
      </p>
      {(prevHref || nextHref) && (
        <nav aria-label="Pages" className="flex gap-1">
          {prevHref ? (
            <Link href={prevHref} className={`${nav} text-[#0078d4] hover:bg-neutral-100`}>
              <ChevronLeft aria-hidden className="size-4" /> Previous
            </Link>
          ) : (
            <span className={`${nav} text-neutral-500`} aria-disabled="true">
              <ChevronLeft aria-hidden className="size-4" /> Previous
            </span>
          )}
          {nextHref ? (
            <Link href={nextHref} className={`${nav} text-[#0078d4] hover:bg-neutral-100`}>
              Next <ChevronRight aria-hidden className="size-4" />
            </Link>
          ) : (
            <span className={`${nav} text-neutral-500`} aria-disabled="true">
              Next <ChevronRight aria-hidden className="size-4" />
            </span>
          )}
        </nav>
      )}
    </div>
  );
}
