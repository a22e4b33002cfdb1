/** ISO 8601 durations (Graph's `PT8H`) and human phrases ("8 hours"). */
const ISO = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** `PT4H30M` → milliseconds; null when not a duration this product understands (days, hours, minutes, seconds). */
export function parseIsoDuration(d: string | null | undefined): number | null {
  if (!d || d === "P" || d === "PT" || d.endsWith("T")) return null;
  const m = ISO.exec(d);
  if (!m) return null;
  const [dd, hh, mm, ss] = [m[1], m[2], m[3], m[4]].map((x) => Number(x ?? 0)) as [number, number, number, number];
  return Math.round((((dd * 24 + hh) * 60 + mm) * 60 + ss) * 1000);
}

/** Milliseconds → `PT4H30M` (days folded into hours, as Graph writes activation durations). */
export function toIsoDuration(msValue: number): string {
  const totalMinutes = Math.round(msValue / 60_000);
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  if (h === 0 && m === 0) return "PT0M";
  return `PT${h ? `${h}H` : ""}${m ? `${m}M` : ""}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** 480 → "8 hours", 90 → "1.5 hours", 30 → "30 minutes". */
export function humanMinutes(minutes: number): string {
  if (minutes < 60) return plural(minutes, "minute");
  const h = minutes / 60;
  return Number.isInteger(h) ? plural(h, "hour") : `${h} hours`;
}

export const humanDays = (days: number) => plural(days, "day");

/** "2026-11-22 13:00 UTC" for messages. */
export const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
