import Link from "next/link";
import { Download, Filter } from "lucide-react";
import { BladeHeader, CommandBar, commandClass, ResultsFooter, qs } from "@/components/admin/blade";
import { inputClass, primaryButton, secondaryButton } from "@/components/admin/fields";
import { LocalTime } from "@/components/admin/local-time";
import type { ActivityFilters, AuditRowView } from "./filters";

type Props = {
  tenantName: string;
  filters: ActivityFilters;
  canReadAll: boolean;
  roles: { id: string; displayName: string }[];
  actions: string[];
  rows: AuditRowView[];
  total: number | null;
  nextCursor: string | null;
};

const filterKeys = ["from", "to", "actor", "target", "role", "action", "result"] as const;

/** Activity: Resource audit (everything; admins and readers) and My audit (my actions and actions on me). */
export function ActivityView({ tenantName, filters: f, canReadAll, roles, actions, rows, total, nextCursor }: Props) {
  const base = Object.fromEntries(filterKeys.map((k) => [k, f[k]]));
  const start = f.start ?? 1;
  const views = [
    ...(canReadAll ? [{ key: "resource" as const, label: "Resource audit" }] : []),
    { key: "mine" as const, label: "My audit" },
  ];
  return (
    <div>
      <BladeHeader title={`${tenantName} | Activity`} subtitle="Privileged Identity Management | Microsoft Entra roles" />
      <CommandBar label="Activity commands">
        <a href={`/activity/export${qs({ view: f.view, ...base })}`} download className={commandClass}>
          <Download aria-hidden /> Export
        </a>
      </CommandBar>

      <nav aria-label="Audit views" className="mb-3 flex gap-4 border-b border-neutral-200">
        {views.map((v) => (
          <Link
            key={v.key}
            href={`/activity${qs({ view: v.key })}`}
            aria-current={f.view === v.key ? "page" : undefined}
            className={`-mb-px border-b-2 px-1 pb-2 text-sm ${f.view === v.key ? "border-[#0078d4] font-semibold text-neutral-900" : "border-transparent text-neutral-700 hover:text-neutral-900"}`}
          >
            {v.label}
          </Link>
        ))}
      </nav>

      <form action="/activity" aria-label="Filter activity" className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-[repeat(7,minmax(0,1fr))_auto]">
        <input type="hidden" name="view" value={f.view} />
        <FilterField label="From" id="f-from">
          <input id="f-from" name="from" type="date" defaultValue={f.from} className={inputClass} />
        </FilterField>
        <FilterField label="To" id="f-to">
          <input id="f-to" name="to" type="date" defaultValue={f.to} className={inputClass} />
        </FilterField>
        <FilterField label="Actor" id="f-actor">
          <input id="f-actor" name="actor" type="search" defaultValue={f.actor} placeholder="Name" className={inputClass} />
        </FilterField>
        <FilterField label="Target" id="f-target">
          <input id="f-target" name="target" type="search" defaultValue={f.target} placeholder="Name" className={inputClass} />
        </FilterField>
        <FilterField label="Role" id="f-role">
          <select id="f-role" name="role" defaultValue={f.role ?? ""} className={inputClass}>
            <option value="">All roles</option>
            {roles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.displayName}
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField label="Activity" id="f-action">
          <select id="f-action" name="action" defaultValue={f.action ?? ""} className={inputClass}>
            <option value="">All activities</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField label="Result" id="f-result">
          <select id="f-result" name="result" defaultValue={f.result ?? ""} className={inputClass}>
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="failure">Failure</option>
          </select>
        </FilterField>
        <div className="flex items-end gap-2">
          <button type="submit" className={primaryButton}>
            <Filter aria-hidden className="size-4" /> Apply
          </button>
          <Link href={`/activity${qs({ view: f.view })}`} className={secondaryButton}>
            Reset
          </Link>
        </div>
      </form>

      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">{f.view === "resource" ? "Resource audit" : "My audit"}, newest first</caption>
          <thead>
            <tr className="border-b border-neutral-300 text-neutral-800">
              {["Time", "Actor", "Activity", "Target", "Role", "Scope", "Justification", "Result"].map((h) => (
                <th key={h} scope="col" className="px-2 py-2 font-semibold">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={8} className="px-2 py-6 text-center text-neutral-700">
                  {filterKeys.some((k) => f[k])
                    ? "No activity matches these filters. Widen the date range or clear a filter."
                    : "No activity recorded yet. Every assignment, activation, approval and settings change will appear here."}
                </td>
              </tr>
            ) : (
              rows.map((r) => (
                <tr key={r.id} className="border-b border-neutral-200 align-top hover:bg-neutral-50">
                  <td className="px-2 py-2 whitespace-nowrap">
                    <LocalTime iso={r.createdAt} />
                  </td>
                  <td className="px-2 py-2">{r.actorName ?? "-"}</td>
                  <td className="px-2 py-2">{r.activity}</td>
                  <td className="px-2 py-2">{r.targetName ?? "-"}</td>
                  <td className="px-2 py-2">{r.roleName ?? "-"}</td>
                  <td className="px-2 py-2">{r.scopeLabel}</td>
                  <td className="max-w-xs px-2 py-2 break-words">
                    {r.justification ?? "-"}
                    {r.ticket && <span className="block text-xs text-neutral-600">Ticket {r.ticket}</span>}
                  </td>
                  <td className="px-2 py-2">
                    <span className={r.result === "success" ? "text-green-800" : "font-semibold text-red-800"}>
                      {r.result === "success" ? "Success" : "Failure"}
                    </span>
                    {r.resultReason && <span className="block text-xs text-neutral-700">{r.resultReason}</span>}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <ResultsFooter
        from={start}
        count={rows.length}
        total={total ?? start + rows.length - 1}
        prevHref={start > 1 ? `/activity${qs({ view: f.view, ...base })}` : null}
        nextHref={nextCursor ? `/activity${qs({ view: f.view, ...base, cursor: nextCursor, start: start + rows.length })}` : null}
      />
    </div>
  );
}

function FilterField({ label, id, children }: { label: string; id: string; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-xs font-semibold text-neutral-800">
        {label}
      </label>
      {children}
    </div>
  );
}
