import { describe, expect, it } from "vitest";
import { isBrowserNavigation } from "./navigation";

describe("isBrowserNavigation", () => {
  it("trusts Fetch Metadata when the browser sends it", () => {
    expect(isBrowserNavigation(new Headers({ "sec-fetch-mode": "navigate", accept: "text/html" }))).toBe(true);
    expect(isBrowserNavigation(new Headers({ "sec-fetch-mode": "cors", accept: "text/html,*/*" }))).toBe(false);
  });
  it("falls back to Accept: a script asking for JSON or anything is not a navigation", () => {
    expect(isBrowserNavigation(new Headers({ accept: "text/html,application/xhtml+xml" }))).toBe(true);
    expect(isBrowserNavigation(new Headers({ accept: "application/json" }))).toBe(false);
    expect(isBrowserNavigation(new Headers())).toBe(false);
  });
});
