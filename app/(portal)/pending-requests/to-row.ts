import { type RequestView } from "@/lib/pim/queries/requests";
import { humanMinutes, parseIsoDuration } from "@/lib/pim/rules/durations";
import type { RequestRow } from "./types";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Read-model row → serializable row for the client tables; `now` tells a scheduled activation from a started one. */
export function toRequestRow(r: RequestView, now: Date): RequestRow {
  return {
    id: r.id,
    action: r.action,
    status: r.status,
    principalName: r.principalName,
    principalUpn: r.principalUpn,
    requestorName: r.requestorName,
    roleName: r.roleName,
    scopeName: r.scopeName,
    justification: r.justification,
    ticketNumber: r.ticketNumber,
    ticketSystem: r.ticketSystem,
    start: iso(r.startDateTime),
    end: iso(r.endDateTime),
    duration: r.duration,
    durationText: durationText(r),
    created: r.createdDateTime.toISOString(),
    deadline: iso(r.approvalDeadline),
    stage: r.currentStage,
    stageCount: r.stageCount,
    scheduled:
      r.status === "Granted" && r.action === "selfActivate" && r.startDateTime !== null && r.startDateTime > now,
  };
}

function durationText(r: RequestView): string | null {
  const ms =
    parseIsoDuration(r.duration) ??
    (r.startDateTime && r.endDateTime ? r.endDateTime.getTime() - r.startDateTime.getTime() : null);
  return ms === null ? null : humanMinutes(Math.round(ms / 60_000));
}
