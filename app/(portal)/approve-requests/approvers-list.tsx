import Link from "@/components/ui/link";

/**
 * The people who may decide one request besides me, by name: opened from the "N other approvers" link
 * of a row, so the table itself never carries hundreds of names per row.
 */
export function ApproversList({
  title,
  approvers,
  more,
  closeHref,
}: {
  title: string;
  approvers: string[];
  more: boolean;
  closeHref: string;
}) {
  return (
    <section aria-label={title} className="mt-4 rounded-sm border border-neutral-200 bg-white p-4">
      <div className="mb-2 flex items-baseline justify-between gap-4">
        <h2 className="text-base font-semibold">{title}</h2>
        <Link href={closeHref} scroll={false} className="text-sm text-[#0078d4] hover:underline">
          Close
        </Link>
      </div>
      {approvers.length === 0 ? (
        <p className="text-sm text-neutral-700">Nobody else may decide it: only you.</p>
      ) : (
        <>
          <p className="mb-2 text-sm text-neutral-700">
            {approvers.length}
            {more ? "+" : ""} {approvers.length === 1 && !more ? "person" : "people"}. The first decision wins.
          </p>
          <ul className="columns-1 gap-6 text-sm sm:columns-2 lg:columns-3">
            {approvers.map((name, i) => (
              <li key={`${name}-${i}`}>{name}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
