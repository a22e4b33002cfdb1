"use client";

import { useEffect, useSyncExternalStore } from "react";
import { formatDateTime, formatDay, formatLongDay, formatRelative, serverText } from "./time-format";

const noop = () => () => {};
const useIsClient = () =>
  useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );

// One shared 30-second tick for every relative time on the page.
let tick = 0;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
function subscribeTick(cb: () => void) {
  listeners.add(cb);
  timer ??= setInterval(() => {
    tick += 1;
    listeners.forEach((l) => l());
  }, 30_000);
  return () => {
    listeners.delete(cb);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}
const useTick = () =>
  useSyncExternalStore(
    subscribeTick,
    () => tick,
    () => -1,
  );

// Server time minus browser time: relative times count from the server's "now" (a browser clock may be off).
let offsetMs = 0;
/** Now, by the server's clock as last reported with <ServerClockSync/>. */
export const serverNowInBrowser = () => new Date(Date.now() + offsetMs);

/**
 * Put once on a page: tells relative times the server's clock (`now` = the server's time while rendering),
 * so "ends in 3 h 12 min" counts from the server's now even when the browser's clock is wrong.
 */
export function ServerClockSync({ now }: { now: string }) {
  useEffect(() => {
    const next = new Date(now).getTime() - Date.now();
    if (Math.abs(next - offsetMs) > 1000) {
      offsetMs = next;
      tick += 1;
      listeners.forEach((l) => l());
    }
  }, [now]);
  return null;
}

/**
 * Date and time in the viewer's locale and time zone ("7 Dec 2026, 14:05 GMT"): the portal's one format
 * (formatDateTime). For text built in the browser, e.g. a toast.
 */
export function formatLocal(d: Date): string {
  return formatDateTime(d);
}

type Value = Date | string | null | undefined;
const toDate = (v: Value) => (v ? (v instanceof Date ? v : new Date(v)) : null);

/**
 * A timestamp in the viewer's time zone. The server cannot know the zone, so it renders the UTC form
 * and the browser replaces it after hydration (useSyncExternalStore: no hydration mismatch).
 * `relative` adds a second line such as "ends in 3 h 12 min".
 */
export function LocalTime({
  value,
  empty = "Permanent",
  relative,
}: {
  value: Value;
  /** Text when there is no value (default "Permanent" — an end that never comes). */
  empty?: string;
  relative?: { future?: string; past?: string } | true;
}) {
  const client = useIsClient();
  const d = toDate(value);
  if (!d) return <span>{empty}</span>;
  return (
    <span>
      <time dateTime={d.toISOString()} title={serverText(d)}>
        {client ? formatLocal(d) : serverText(d)}
      </time>
      {relative && (
        <span className="block text-xs text-neutral-700">
          <RelativeTime value={d} {...(relative === true ? {} : relative)} />
        </span>
      )}
    </span>
  );
}

/** "ends in 3 h 12 min" / "ended 5 min ago", refreshed every 30 seconds. Empty on the server. */
export function RelativeTime({ value, future, past }: { value: Value; future?: string; past?: string }) {
  const t = useTick();
  const d = toDate(value);
  if (!d || t < 0) return null;
  return <span>{formatRelative(d, serverNowInBrowser(), { future, past })}</span>;
}

/** A chart's UTC day ("2026-12-01") as "1 Dec" in the viewer's locale (en-GB on the server, before hydration). */
export function LocalDay({ day, long }: { day: string; long?: boolean }) {
  const client = useIsClient();
  const locale = client ? undefined : "en-GB";
  return <>{long ? formatLongDay(day, locale) : formatDay(day, locale)}</>;
}
