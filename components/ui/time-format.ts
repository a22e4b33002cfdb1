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

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatter = (locale: string | undefined, options: Intl.DateTimeFormatOptions) => {
  const key = `${locale ?? ""}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
};

/**
 * THE date-and-time format of the portal: day, month name, year, hours and minutes and the zone's short name,
 * in the viewer's locale and time zone ("7 Dec 2026, 14:05 GMT" in en-GB, "Dec 7, 2026, 02:05 PM EST" in
 * en-US). The month is a word so 12/01 and 01/12 never meet. `locale`/`timeZone` default to the viewer's.
 */
export function formatDateTime(d: Date, o: { locale?: string; timeZone?: string } = {}): string {
  return formatter(o.locale, {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
    ...(o.timeZone ? { timeZone: o.timeZone } : {}),
  }).format(d);
}

/** A calendar day ("2026-12-01", a UTC day of a chart) as "1 Dec" / "Dec 1" in the viewer's locale. */
export function formatDay(day: string, locale?: string): string {
  const [y, m, dd] = day.split("-").map(Number);
  const at = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, dd ?? 1));
  return formatter(locale, { day: "numeric", month: "short", timeZone: "UTC" }).format(at);
}

/** The same day with its weekday and year ("Tuesday 1 December 2026"): for the chart's data table and tooltips. */
export function formatLongDay(day: string, locale?: string): string {
  const [y, m, dd] = day.split("-").map(Number);
  const at = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, dd ?? 1));
  return formatter(locale, { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
    at,
  );
}

/** The UTC form the server renders before the browser knows the viewer's time zone (same shape as formatDateTime). */
export function serverText(d: Date): string {
  return formatDateTime(d, { locale: "en-GB", timeZone: "UTC" });
}

/** ISO-like UTC text ("2026-11-25 10:05 UTC"), for machine-facing places (titles, CSV), not for reading. */
export function utcText(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
