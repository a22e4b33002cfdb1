import { FileQuestion } from "lucide-react";
import Link from "@/components/ui/link";

const linkClass = "text-[#0078d4] underline hover:no-underline focus-visible:outline-2 focus-visible:outline-[#0078d4]";

/** The 404 content, in the blade's look: what happened and the ways back. */
export function PageNotFound() {
  return (
    <div>
      <h1 className="text-2xl font-semibold text-neutral-900">Page not found</h1>
      <p className="text-sm text-neutral-700">Privileged Identity Management | Microsoft Entra roles</p>
      <section className="mt-4 max-w-3xl border border-neutral-200 bg-white p-5" data-testid="not-found">
        <div className="flex items-start gap-3">
          <FileQuestion aria-hidden className="mt-0.5 size-6 shrink-0 text-neutral-600" />
          <div className="space-y-3 text-sm text-neutral-800">
            <p>
              There is nothing at this address. The link may be old, or the role, request or service principal it
              pointed to no longer exists.
            </p>
            <ul className="list-disc space-y-1 pl-5">
              <li>
                <Link href="/overview" className={linkClass}>
                  Back to Overview
                </Link>
              </li>
              <li>
                <Link href="/my-roles" className={linkClass}>
                  My roles
                </Link>
              </li>
              <li>
                <Link href="/quick-start" className={linkClass}>
                  Quick start
                </Link>
              </li>
            </ul>
            <p>Or search for a page, a role or a person in the box at the top (G then /).</p>
          </div>
        </div>
      </section>
    </div>
  );
}
