import { describe, expect, it } from "vitest";
import { formatMinutes, formatRelative, formatSpan, utcText } from "./time-format";

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
});
