import { cn } from "./cn";

/** A grey placeholder bar (aria-hidden); wrap a group of them in <Loading/>. */
export function Skeleton({ className }: { className?: string }) {
  return <span aria-hidden className={cn("block animate-pulse rounded-sm bg-neutral-200", className)} />;
}

/** Announces loading to assistive technology while skeletons show (use in loading.tsx). */
export function Loading({ label = "Loading", children }: { label?: string; children: React.ReactNode }) {
  return (
    <div role="status" aria-live="polite" aria-busy="true">
      <span className="sr-only">{label}…</span>
      {children}
    </div>
  );
}

/** A table-shaped skeleton: a header bar and `rows` rows of `columns` cells. */
export function TableSkeleton({ columns = 5, rows = 5 }: { columns?: number; rows?: number }) {
  return (
    <div className="w-full">
      <div className="flex gap-4 border-b border-neutral-300 py-2">
        {Array.from({ length: columns }, (_, i) => (
          <Skeleton key={i} className="h-4 flex-1" />
        ))}
      </div>
      {Array.from({ length: rows }, (_, r) => (
        <div key={r} className="flex gap-4 border-b border-neutral-200 py-3">
          {Array.from({ length: columns }, (_, i) => (
            <Skeleton key={i} className="h-4 flex-1" />
          ))}
        </div>
      ))}
    </div>
  );
}

/** The skeleton of a blade page: title, subtitle, command bar, tabs and a table. */
export function BladeSkeleton({ label, tabs = 0 }: { label: string; tabs?: number }) {
  return (
    <Loading label={label}>
      <Skeleton className="mb-2 h-7 w-96" />
      <Skeleton className="mb-5 h-4 w-72" />
      {tabs > 0 && (
        <div className="mb-4 flex gap-4">
          {Array.from({ length: tabs }, (_, i) => (
            <Skeleton key={i} className="h-5 w-40" />
          ))}
        </div>
      )}
      <TableSkeleton />
    </Loading>
  );
}
