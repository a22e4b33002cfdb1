"use client";

import { useMemo, useState } from "react";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { DataTable, dataTableColumns, type DataTableColumn } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { JustifiedConfirm } from "@/components/ui/justified-confirm";
import { LocalTime } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { Tabs } from "@/components/ui/tabs";
import { requiredText } from "@/lib/validation/text";
import { makeEligibleAction, removeFromDiscoveryAction } from "./actions";

type Row = {
  scheduleId: string;
  kind: "eligibility" | "assignment";
  principalName: string;
  principalType: string;
  roleName: string;
  scope: string;
  start: string;
  end: string | null;
  assignmentType: string | null;
};
type Bar = { label: string; n: number };
type Section = { rows: Row[]; bars: Bar[] };
type Fix = { row: Row; fix: "makeEligible" | "remove" } | null;

const reasonSchema = z.object({ justification: requiredText({ max: 500, required: "Give a reason." }) });
const typeWords: Record<string, string> = { User: "User", Group: "Group", ServicePrincipal: "Service principal" };

/** A horizontal bar chart with its numbers in text (the table beside it is the accessible form). */
function BarChart({ title, bars }: { title: string; bars: Bar[] }) {
  const max = Math.max(1, ...bars.map((b) => b.n));
  return (
    <figure className="mb-4 max-w-xl">
      <figcaption className="mb-2 text-sm font-semibold">{title}</figcaption>
      {bars.length === 0 ? (
        <p className="text-sm text-neutral-700">None.</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {bars.map((b) => (
            <li key={b.label} className="grid grid-cols-[12rem_1fr_3rem] items-center gap-2">
              <span>{b.label}</span>
              <span aria-hidden className="h-3 rounded bg-[#0078d4]" style={{ width: `${(b.n * 100) / max}%` }} />
              <span className="text-right tabular-nums">{b.n}</span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}

const h = dataTableColumns<Row>();
const base: DataTableColumn<Row>[] = h.columns([
  h.accessor("principalName", {
    header: "Name",
    cell: ({ getValue }) => <span className="font-semibold">{getValue()}</span>,
  }),
  h.accessor((r) => typeWords[r.principalType] ?? r.principalType, { id: "type", header: "Type" }),
  h.accessor("roleName", { header: "Role" }),
  h.accessor(
    (r) => (r.kind === "eligibility" ? "Eligible" : r.assignmentType === "Activated" ? "Activated" : "Active"),
    {
      id: "kind",
      header: "Assignment",
    },
  ),
  h.accessor("start", { header: "Start time", cell: ({ getValue }) => <LocalTime value={getValue()} /> }),
  h.accessor("end", { header: "End time", cell: ({ getValue }) => <LocalTime value={getValue()} empty="Permanent" /> }),
]);

export function DiscoveryView({
  admin,
  tab,
  globalAdmins,
  standingAccess,
  servicePrincipals,
}: {
  admin: boolean;
  tab: string;
  globalAdmins: Section;
  standingAccess: Section;
  servicePrincipals: Section;
}) {
  const [fix, setFix] = useState<Fix>(null);
  const columns = useMemo<DataTableColumn<Row>[]>(
    () =>
      admin
        ? [
            ...base,
            h.display({
              id: "action",
              header: "Action",
              meta: { className: "whitespace-nowrap" },
              cell: ({ row: { original: r } }) =>
                r.assignmentType === "Activated" ? (
                  "-"
                ) : (
                  <span className="inline-flex gap-3">
                    {r.kind === "assignment" && r.principalType !== "ServicePrincipal" && (
                      <Button variant="link" onClick={() => setFix({ row: r, fix: "makeEligible" })}>
                        Make eligible
                        <span className="sr-only">
                          {" "}
                          {r.principalName} for {r.roleName}
                        </span>
                      </Button>
                    )}
                    <Button variant="link" onClick={() => setFix({ row: r, fix: "remove" })}>
                      Remove
                      <span className="sr-only">
                        {" "}
                        {r.principalName} from {r.roleName}
                      </span>
                    </Button>
                  </span>
                ),
            }),
          ]
        : base,
    [admin],
  );
  const table = (caption: string, rows: Row[], empty: string) => (
    <DataTable
      caption={caption}
      data={rows}
      columns={columns}
      getRowId={(r) => r.scheduleId}
      rowTestId={(r) =>
        `insight-${r.principalName.toLowerCase().replace(/\s+/g, "-")}-${r.roleName.toLowerCase().replace(/\s+/g, "-")}`
      }
      empty={<EmptyState title={empty} />}
    />
  );
  return (
    <>
      {!admin && (
        <Notice>
          You can view the insights. Acting on them needs an active Global Administrator or Privileged Role
          Administrator role.
        </Notice>
      )}
      <Tabs
        label="Insights"
        syncParam="tab"
        defaultValue={tab}
        items={[
          {
            id: "global-admins",
            label: "Reduce global administrators",
            count: globalAdmins.rows.length,
            content: (
              <>
                <p className="mb-3 max-w-3xl text-sm">
                  Global Administrator can do everything. Keep two break-glass administrators; give everyone else a less
                  privileged role, or make them eligible so they activate it only when needed.
                </p>
                <BarChart title="Global Administrator assignments by kind" bars={globalAdmins.bars} />
                {table("Global Administrators", globalAdmins.rows, "Nobody holds Global Administrator")}
              </>
            ),
          },
          {
            id: "standing-access",
            label: "Eliminate standing access",
            count: standingAccess.rows.length,
            content: (
              <>
                <p className="mb-3 max-w-3xl text-sm">
                  Permanent active assignments of privileged roles are standing access: always on, whether used or not.
                  Make them eligible so the role is activated (and audited) only when needed.
                </p>
                <BarChart title="Permanent active assignments by role" bars={standingAccess.bars} />
                {table(
                  "Permanent active assignments of privileged roles",
                  standingAccess.rows,
                  "No standing access to privileged roles",
                )}
              </>
            ),
          },
          {
            id: "service-principals",
            label: "Review service principals",
            count: servicePrincipals.rows.length,
            content: (
              <>
                <p className="mb-3 max-w-3xl text-sm">
                  Service principals cannot be eligible: a privileged role on an app identity is always on. Check each
                  one still needs it, and remove it otherwise.
                </p>
                <BarChart title="Service principals by privileged role" bars={servicePrincipals.bars} />
                {table(
                  "Service principals with privileged roles",
                  servicePrincipals.rows,
                  "No service principal holds a privileged role",
                )}
              </>
            ),
          },
        ]}
      />
      {fix && (
        <JustifiedConfirm
          title={`${fix.fix === "remove" ? "Remove" : "Make eligible"}: ${fix.row.principalName} (${fix.row.roleName})?`}
          testId="insight-fix-dialog"
          hint="Why, e.g. the ticket."
          confirmLabel={fix.fix === "remove" ? "Remove" : "Make eligible"}
          pendingLabel="Working…"
          tone={fix.fix === "remove" ? "danger" : "primary"}
          input={{}}
          schema={reasonSchema}
          action={(i: { justification: string }) =>
            fix.fix === "remove"
              ? removeFromDiscoveryAction({
                  kind: fix.row.kind,
                  scheduleId: fix.row.scheduleId,
                  justification: i.justification,
                })
              : makeEligibleAction({ scheduleId: fix.row.scheduleId, justification: i.justification })
          }
          done={(d) => d.done}
          onClose={() => setFix(null)}
        >
          <p className="mb-3 text-sm">
            {fix.fix === "remove"
              ? `${fix.row.principalName} loses ${fix.row.roleName} now. Lockout protection holds: the last Global Administrator stays.`
              : `${fix.row.principalName}'s permanent active assignment ends now and they become eligible for ${fix.row.roleName}.`}
          </p>
        </JustifiedConfirm>
      )}
    </>
  );
}
