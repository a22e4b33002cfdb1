import { describe, expect, it } from "vitest";
import {
  formatDateTime,
  formatDay,
  formatLongDay,
  formatMinutes,
  formatRelative,
  formatSpan,
  serverText,
  utcText,
} from "./time-format";

const at = (iso: string) => new Date(iso);

describe("time formatting", () => {
  it("says how long until an end, in hours and minutes", () => {
    const now = at("2026-11-25T10:00:00Z");
    expect(formatRelative(at("2026-11-25T13:12:30Z"), now, { future: "ends", past: "ended" })).toBe(
      "ends in 3 h 12 min",
    );
    expect(formatRelative(at("2026-11-25T09:55:00Z"), now, { future: "ends", past: "ended" })).toBe("ended 5 min ago");
    expect(formatRelative(at("2026-11-25T10:00:20Z"), now)).toBe("in less than a minute");
    expect(formatRelative(at("2026-11-28T14:00:00Z"), now)).toBe("in 3 d 4 h");
  });

  it("formats spans and minute counts", () => {
    expect(formatSpan(60 * 60_000)).toBe("1 h");
    expect(formatSpan(-45 * 60_000)).toBe("45 min");
    expect(formatMinutes(480)).toBe("8 hours");
    expect(formatMinutes(90)).toBe("1 hour 30 minutes");
    expect(formatMinutes(30)).toBe("30 minutes");
    expect(utcText(at("2026-11-25T10:05:09Z"))).toBe("2026-11-25 10:05 UTC");
  });

  it("has one date-and-time format, with the month as a word, in the viewer's locale and zone", () => {
    const d = at("2026-12-01T19:44:00Z");
    expect(formatDateTime(d, { locale: "en-GB", timeZone: "Europe/London" })).toBe("1 Dec 2026, 19:44 GMT");
    expect(formatDateTime(d, { locale: "en-GB", timeZone: "Europe/Paris" })).toBe("1 Dec 2026, 20:44 CET");
    expect(formatDateTime(d, { locale: "en-US", timeZone: "UTC" })).toBe("Dec 1, 2026, 07:44 PM UTC");
    expect(serverText(d)).toBe("1 Dec 2026, 19:44 UTC");
  });

  it("names chart days the same way, as UTC calendar days", () => {
    expect(formatDay("2026-12-01", "en-GB")).toBe("1 Dec");
    expect(formatDay("2026-12-01", "en-US")).toBe("Dec 1");
    // ICU versions differ on the comma after the weekday.
    expect(formatLongDay("2026-12-01", "en-GB")).toMatch(/^Tuesday,? 1 December 2026$/);
  });
});
