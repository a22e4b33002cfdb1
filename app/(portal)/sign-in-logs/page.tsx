import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { ChevronLeft, ChevronRight, Download } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { CommandBar } from "@/components/ui/command-bar";
import { EmptyState } from "@/components/ui/empty-state";
import { keysetPager, queryString } from "@/components/ui/keyset";
import { LocalTime, ServerClockSync } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { cn } from "@/components/ui/cn";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { pimReader } from "@/lib/pim/queries/read-scope";
import { listSignIns } from "@/lib/pim/queries/sign-in-log";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { KIND_LABEL, parseSignInFilters, personOf, RESULT_LABEL, signInCursor, toSignInQuery } from "./filters";

export const metadata: Metadata = { title: "Sign-in logs" };
export const dynamic = "force-dynamic";

const PAGE = 50;
const field = "rounded-sm border border-neutral-400 px-2 py-1 text-sm";
const tone = { success: "success", failure: "danger", locked: "warning" } as const;

/** Sign-in logs: every sign-in, failure, MFA answer and lockout (PIM admins and readers); "My sign-ins" for everyone. */
export default async function SignInLogsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const canReadAll = await pimReader(ctx, actor);
  const filters = parseSignInFilters(await searchParams);
  if (!canReadAll) filters.view = "mine";
  const pager = keysetPager(filters.page, signInCursor, PAGE);
  const [page, tenantName] = await Promise.all([
    listSignIns(ctx, actor, toSignInQuery(filters), { cursor: pager.cursor, limit: PAGE }),
    getTenantName(ctx),
  ]);
  const keep = { ...filters, page: undefined };
  const href = (p: string | null | undefined) => `/sign-in-logs${queryString({ ...keep, page: p ?? undefined })}`;
  const next = pager.nextParam(page.nextCursor);
  const views = [
    ...(canReadAll ? [{ key: "all" as const, label: "All sign-ins" }] : []),
    { key: "mine" as const, label: "My sign-ins" },
  ];
  return (
    <div>
      <ServerClockSync now={ctx.now().toISOString()} />
      <PageHeader title={`${tenantName} | Sign-in logs`} />
      <CommandBar label="Sign-in log commands">
        <a href={`/sign-in-logs/export${queryString(keep)}`} download className={buttonClass("command")}>
          <Download aria-hidden /> Export
        </a>
      </CommandBar>
      <nav aria-label="Sign-in log views" className="mb-3 flex gap-4 border-b border-neutral-200">
        {views.map((v) => (
          <Link
            key={v.key}
            href={`/sign-in-logs${queryString({ view: v.key })}`}
            aria-current={filters.view === v.key ? "page" : undefined}
            className={cn(
              "-mb-px border-b-2 px-1 pb-2 text-sm focus-visible:outline-2 focus-visible:outline-[#0078d4]",
              filters.view === v.key
                ? "border-[#0078d4] font-semibold text-neutral-900"
                : "border-transparent text-neutral-700 hover:text-neutral-900",
            )}
          >
            {v.label}
          </Link>
        ))}
      </nav>
      <p className="mb-3 text-sm text-neutral-700">
        Password and single sign-on sign-ins, failed attempts, MFA challenges and lockouts, newest first. Times are
        shown in your time zone; the export is in UTC.
      </p>

      <form method="get" action="/sign-in-logs" className="mb-3 flex flex-wrap items-end gap-3" role="search">
        <input type="hidden" name="view" value={filters.view} />
        <div className="flex flex-col text-sm">
          <label htmlFor="sign-in-filter-since">From</label>
          <input id="sign-in-filter-since" type="date" name="since" defaultValue={filters.since} className={field} />
        </div>
        <div className="flex flex-col text-sm">
          <label htmlFor="sign-in-filter-until">To</label>
          <input id="sign-in-filter-until" type="date" name="until" defaultValue={filters.until} className={field} />
        </div>
        {filters.view === "all" && (
          <div className="flex flex-col text-sm">
            <label htmlFor="sign-in-filter-person">Person</label>
            <input
              id="sign-in-filter-person"
              type="search"
              name="person"
              defaultValue={filters.person}
              className={field}
              maxLength={200}
            />
          </div>
        )}
        <div className="flex flex-col text-sm">
          <label htmlFor="sign-in-filter-kind">Method</label>
          <select id="sign-in-filter-kind" name="kind" defaultValue={filters.kind ?? ""} className={field}>
            <option value="">Any</option>
            {Object.entries(KIND_LABEL).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col text-sm">
          <label htmlFor="sign-in-filter-result">Result</label>
          <select id="sign-in-filter-result" name="result" defaultValue={filters.result ?? ""} className={field}>
            <option value="">Any</option>
            {Object.entries(RESULT_LABEL).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col text-sm">
          <label htmlFor="sign-in-filter-ip">IP address</label>
          <input id="sign-in-filter-ip" name="ip" defaultValue={filters.ip} className={field} maxLength={64} />
        </div>
        <button type="submit" className={buttonClass("primary")}>
          Apply
        </button>
      </form>

      {page.rows.length === 0 ? (
        <EmptyState title="No sign-ins match these filters." />
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-sm">
            <caption className="sr-only">Sign-ins, newest first</caption>
            <thead>
              <tr className="border-b border-neutral-300 text-left">
                {["Time", "Person", "Method", "Result", "Reason", "IP address", "User agent"].map((h) => (
                  <th key={h} scope="col" className="px-2 py-2 font-semibold">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {page.rows.map((r) => (
                <tr key={r.id} className="border-b border-neutral-200 align-top">
                  <td className="px-2 py-2 whitespace-nowrap">
                    <LocalTime value={r.at.toISOString()} />
                  </td>
                  <td className="px-2 py-2">
                    {personOf(r)}
                    {r.userPrincipalName && (
                      <span className="block text-xs text-neutral-700">{r.userPrincipalName}</span>
                    )}
                  </td>
                  <td className="px-2 py-2">{KIND_LABEL[r.kind]}</td>
                  <td className="px-2 py-2">
                    <Badge tone={tone[r.result]}>{RESULT_LABEL[r.result]}</Badge>
                  </td>
                  <td className="px-2 py-2">{r.reason ?? "-"}</td>
                  <td className="px-2 py-2 font-mono text-xs">{r.clientIp ?? "-"}</td>
                  <td className="max-w-xs px-2 py-2 text-xs break-words">{r.userAgent ?? "-"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="mt-3 flex items-center justify-between gap-4 text-sm text-neutral-700">
        <p aria-live="polite">
          {page.rows.length === 0
            ? "Showing 0 results."
            : `Showing ${pager.from} - ${pager.from + page.rows.length - 1}${next ? "" : ` of ${pager.from + page.rows.length - 1}`} results.`}
        </p>
        {(pager.prevParam !== undefined || next) && (
          <nav aria-label="Pages" className="flex gap-1">
            {pager.prevParam !== undefined && (
              <Link href={href(pager.prevParam)} className="inline-flex items-center gap-1 px-2 py-1">
                <ChevronLeft aria-hidden className="size-4" /> Previous
              </Link>
            )}
            {next && (
              <Link href={href(next)} className="inline-flex items-center gap-1 px-2 py-1">
                Next <ChevronRight aria-hidden className="size-4" />
              </Link>
            )}
          </nav>
        )}
      </div>
    </div>
  );
}
