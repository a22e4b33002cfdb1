import { LocalTime } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import type { AuditStatus } from "@/lib/pim/queries/audit-status";

/** The audit trail's integrity at a glance: chain head, the last verification and what it found. */
export function AuditStatusPanel({ status }: { status: AuditStatus }) {
  const v = status.lastVerification;
  return (
    <section aria-labelledby="audit-status-title" className="mb-4 border border-neutral-200 bg-white px-3 py-2 text-sm">
      <h2 id="audit-status-title" className="mb-1 font-semibold text-neutral-900">
        Audit trail integrity
      </h2>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-neutral-800">
        <dt className="text-neutral-600">Chain head</dt>
        <dd>
          {status.head ? (
            <>
              Row {status.head.id}, hash <code title={status.head.hash}>{status.head.hash.slice(0, 16)}…</code>, written{" "}
              <LocalTime value={status.head.at} />
            </>
          ) : (
            "No audit rows yet"
          )}
        </dd>
        <dt className="text-neutral-600">Last verification</dt>
        <dd>
          {v ? (
            <>
              <LocalTime value={v.finishedAt} /> ({v.trigger === "cli" ? "npm run audit:verify" : "scheduled"}):{" "}
              {v.rowsChecked} rows, {v.checkpointsChecked} signed checkpoints
            </>
          ) : (
            "Not verified yet (the scheduled verification runs daily; or run npm run audit:verify)"
          )}
        </dd>
      </dl>
      {v &&
        (v.ok ? (
          <Notice tone="success" className="mt-2 mb-0">
            Intact: every row matches its hash and every checkpoint.
          </Notice>
        ) : (
          <Notice tone="error" className="mt-2 mb-0">
            Broken: {v.breakCount} break{v.breakCount === 1 ? "" : "s"} found
            {v.firstBreak ? ` (first: ${v.firstBreak})` : ""}. Run npm run audit:verify for the full list.
          </Notice>
        ))}
    </section>
  );
}
