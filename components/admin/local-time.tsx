"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};
const fmt = new Map<string, Intl.DateTimeFormat>();

function formatter(): Intl.DateTimeFormat {
  const key = "dt";
  let f = fmt.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "2-digit" });
    fmt.set(key, f);
  }
  return f;
}

/** "ends in 3 h 12 min" / "2 d ago" relative to now. */
export function relative(iso: string, now = Date.now()): string {
  const ms = new Date(iso).getTime() - now;
  const abs = Math.abs(ms);
  const min = Math.round(abs / 60_000);
  let text: string;
  if (min < 1) text = "less than a minute";
  else if (min < 60) text = `${min} min`;
  else if (min < 48 * 60) text = `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ""}`;
  else text = `${Math.round(min / 1440)} d`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

/**
 * A timestamp in the viewer's time zone and locale. The server does not know the viewer's zone,
 * so it renders the UTC form and the browser replaces it after hydration (no mismatch warning).
 */
export function LocalTime({ iso, empty = "-", withRelative }: { iso: string | null; empty?: string; withRelative?: boolean }) {
  const client = useSyncExternalStore(subscribe, () => true, () => false);
  if (!iso) return <span>{empty}</span>;
  const d = new Date(iso);
  const text = client ? formatter().format(d) : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return (
    <time dateTime={iso} title={d.toISOString()}>
      {text}
      {withRelative && client && <span className="block text-xs text-neutral-600">{relative(iso)}</span>}
    </time>
  );
}
