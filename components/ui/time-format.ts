/** Pure formatting helpers for times (shared by server and client; tested in time-format.test.ts). */

/** "3 h 12 min", "45 min", "2 d 4 h", "less than a minute" for a span in milliseconds (sign ignored). */
export function formatSpan(ms: number): string {
  const min = Math.floor(Math.abs(ms) / 60_000);
  if (min < 1) return "less than a minute";
  if (min < 60) return `${min} min`;
  if (min < 48 * 60) {
    const h = Math.floor(min / 60);
    const m = min % 60;
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  return h ? `${d} d ${h} h` : `${d} d`;
}

/**
 * "ends in 3 h 12 min" / "ended 5 min ago" — `future`/`past` are the verbs (default "in"/"" as in "in 3 h", "3 h ago").
 */
export function formatRelative(target: Date, now: Date, words: { future?: string; past?: string } = {}): string {
  const ms = target.getTime() - now.getTime();
  const span = formatSpan(ms);
  if (ms >= 0) return words.future ? `${words.future} in ${span}` : `in ${span}`;
  return words.past ? `${words.past} ${span} ago` : `${span} ago`;
}

/** "8 hours", "30 minutes", "1 hour 30 minutes" for a number of minutes (role maximums, durations). */
export function formatMinutes(total: number): string {
  const h = Math.floor(total / 60);
  const m = total % 60;
  const hs = h ? `${h} ${h === 1 ? "hour" : "hours"}` : "";
  const ms = m ? `${m} ${m === 1 ? "minute" : "minutes"}` : "";
  return [hs, ms].filter(Boolean).join(" ") || "0 minutes";
}

/** The UTC form the server renders before the browser knows the viewer's time zone. */
export function utcText(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
