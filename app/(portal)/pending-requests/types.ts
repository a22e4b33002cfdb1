/** A request row as the request pages show it (dates as ISO strings). */
export type RequestRow = {
  id: string;
  action: string;
  status: string;
  principalName: string;
  principalUpn: string | null;
  requestorName: string | null;
  roleName: string;
  scopeName: string;
  justification: string | null;
  ticketNumber: string | null;
  ticketSystem: string | null;
  start: string | null;
  end: string | null;
  duration: string | null;
  /** "4 hours" (from the ISO duration, or start → end). */
  durationText: string | null;
  created: string;
  deadline: string | null;
  /** 0-based stage the request waits at, and how many stages it has. */
  stage: number;
  stageCount: number;
  /** An activation granted for a start that has not come yet: shown as Scheduled, and it can be canceled. */
  scheduled: boolean;
  /** Approvers' decisions so far (who, what, why), oldest first. */
  decisions?: { stage: number; by: string; decision: "Approve" | "Deny"; justification: string; at: string }[];
};

/** The words of a request's action. */
export const actionWords: Record<string, string> = {
  selfActivate: "Activate",
  selfDeactivate: "Deactivate",
  selfExtend: "Extend",
  selfRenew: "Renew",
  adminAssign: "Assign",
  adminUpdate: "Update",
  adminRemove: "Remove",
  adminExtend: "Extend",
  adminRenew: "Renew",
};
