/** Words of the access review pages (shared by server and client pieces). */
export const recurrenceWords: Record<string, string> = {
  oneTime: "One time",
  weekly: "Weekly",
  monthly: "Monthly",
  quarterly: "Quarterly",
  semiAnnually: "Semi-annually",
  annually: "Annually",
};
export const defaultDecisionWords: Record<string, string> = {
  noChange: "No change",
  remove: "Remove access",
  approve: "Approve access",
  recommendation: "Take recommendations",
};
export const kindWords: Record<string, string> = { eligible: "Eligible", active: "Active", all: "Eligible and active" };
export const reviewerWords: Record<string, string> = {
  selected: "Selected users or groups",
  self: "Members (self-review)",
  manager: "Managers",
};
export const statusWords: Record<string, string> = {
  NotStarted: "Not started",
  InProgress: "In progress",
  Completed: "Completed",
  Applied: "Applied",
};
export const decisionWords: Record<string, string> = {
  Approve: "Approve",
  Deny: "Deny",
  DontKnow: "Don't know",
  NotReviewed: "Not reviewed",
};
