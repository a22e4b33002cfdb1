import { ShieldAlert } from "lucide-react";
import Link from "@/components/ui/link";
import { PageHeader } from "@/components/ui/page-header";
import type { AccessPath } from "@/lib/pim/queries/access-path";

// A darker blue than the portal's links: it sits on the yellow notice too (#0078d4 there is 4.2:1, under WCAG AA).
const linkClass = "text-[#004e8c] underline hover:no-underline focus-visible:outline-2 focus-visible:outline-[#0078d4]";

const orList = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;

/**
 * The one "not allowed here" page, inside the blade chrome: what the page is, which roles open it, and how
 * to get one (Activate on My roles when the person is eligible, else whom to ask). Rendered in place by the
 * page that refused, so the address stays and no redirect is paid for.
 */
export function NotAllowed({
  title,
  what,
  path,
  readersNote,
}: {
  /** The page's blade title ("Perparims Cloud Solutions | Assignments"). */
  title: string;
  /** What the person tried to open, as a phrase: "the assignments of the directory". */
  what: string;
  path: AccessPath;
  /** Optional second line, e.g. that readers may view. */
  readersNote?: string;
}) {
  const names = path.roles.map((r) => r.displayName);
  return (
    <div>
      <PageHeader title={title} />
      <section
        aria-labelledby="not-allowed-heading"
        className="max-w-3xl border border-neutral-200 bg-white p-5"
        data-testid="not-allowed"
      >
        <div className="flex items-start gap-3">
          <ShieldAlert aria-hidden className="mt-0.5 size-6 shrink-0 text-[#a4262c]" />
          <div className="space-y-3 text-sm text-neutral-800">
            <h2 id="not-allowed-heading" className="text-lg font-semibold text-neutral-900">
              You don&apos;t have access to this page
            </h2>
            <p>
              Seeing {what} needs one of these roles active now, for the whole directory:{" "}
              <strong>{orList(names)}</strong>.{readersNote ? ` ${readersNote}` : null}
            </p>
            <h3 className="font-semibold text-neutral-900">How to get access</h3>
            {path.eligible.length > 0 ? (
              <>
                <p>You are eligible for {path.eligible.length === 1 ? "one of them" : "some of them"}: activate it.</p>
                <ul className="flex flex-wrap gap-2">
                  {path.eligible.map((e) => (
                    <li key={e.scheduleId}>
                      <Link
                        href={`/my-roles?activate=${e.scheduleId}`}
                        className="inline-flex items-center bg-[#0078d4] px-3 py-1.5 text-white hover:bg-[#106ebe] focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-black"
                      >
                        Activate {e.roleName}
                      </Link>
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p>
                You are not eligible for any of them. Ask a Privileged Role Administrator or Global Administrator to
                make you eligible; the role then appears on{" "}
                <Link href="/my-roles" className={linkClass}>
                  My roles
                </Link>
                , where you activate it when you need it.
              </p>
            )}
            <p>
              <Link href="/my-roles" className={linkClass}>
                Go to My roles
              </Link>{" "}
              ·{" "}
              <Link href="/overview" className={linkClass}>
                Back to Overview
              </Link>
            </p>
          </div>
        </div>
      </section>
    </div>
  );
}

/**
 * The same message as a bar above a page that falls back to what everyone may see ("Resource audit needs …;
 * you see My audit"), with the same way to get access.
 */
export function NotAllowedNotice({ what, path, fallback }: { what: string; path: AccessPath; fallback: string }) {
  const names = path.roles.map((r) => r.displayName);
  return (
    <div role="status" className="mb-3 border-l-4 border-[#c19c00] bg-[#fff4ce] px-3 py-2 text-sm text-neutral-900">
      {what} needs one of these roles active now: <strong>{orList(names)}</strong>. {fallback}{" "}
      {path.eligible.length > 0 ? (
        path.eligible.map((e, i) => (
          <span key={e.scheduleId}>
            {i > 0 ? " · " : null}
            <Link href={`/my-roles?activate=${e.scheduleId}`} className={linkClass}>
              Activate {e.roleName}
            </Link>
          </span>
        ))
      ) : (
        <>
          Ask a Privileged Role Administrator to make you eligible (
          <Link href="/my-roles" className={linkClass}>
            My roles
          </Link>
          ).
        </>
      )}
    </div>
  );
}
