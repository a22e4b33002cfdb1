import type { RequestRow } from "./schedules";

const PHRASE: Record<string, string> = {
  selfActivate: "Add member to role request {v} (PIM activation)",
  selfExtend: "Extend role assignment request {v} (PIM extension)",
  selfRenew: "Renew role assignment request {v} (PIM renewal)",
};

/** Entra-style activity text for a request event, e.g. "Add member to role request approved (PIM activation)". */
export function requestActivity(action: RequestRow["action"], verb: string): string {
  return (PHRASE[action] ?? `Role assignment request {v} (${action})`).replace("{v}", verb);
}
