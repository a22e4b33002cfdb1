import { afterEach, describe, expect, it, vi } from "vitest";

const headerValues = new Map<string, string>();
vi.mock("next/headers", () => ({
  headers: async () => ({ get: (k: string) => headerValues.get(k) ?? null }),
  cookies: async () => ({ get: () => undefined }),
}));

const { advanceTestClock, requestClock, serverNow, testClockIdOf, TEST_CLOCK_HEADER } = await import("./clock");

afterEach(() => {
  delete process.env.PIM_TEST_BUILD;
  headerValues.clear();
});

describe("the request clock", () => {
  it("is the wall clock in a normal build, whatever clock the request names", async () => {
    headerValues.set(TEST_CLOCK_HEADER, "some-test");
    expect(await requestClock()).toBe(serverNow);
    expect(() => advanceTestClock("some-test", 60_000)).toThrow(/test builds only/);
  });

  it("in a test build runs the named clock's time, and only that clock moves", async () => {
    process.env.PIM_TEST_BUILD = "1";
    advanceTestClock("clock-a", 3_600_000);
    headerValues.set(TEST_CLOCK_HEADER, "clock-a");
    const a = (await requestClock())().getTime() - Date.now();
    expect(a).toBeGreaterThan(3_590_000);
    expect(a).toBeLessThanOrEqual(3_600_000);
    headerValues.set(TEST_CLOCK_HEADER, "clock-b");
    const b = (await requestClock())().getTime() - Date.now();
    expect(Math.abs(b)).toBeLessThan(10_000);
    headerValues.clear();
    expect(await requestClock()).toBe(serverNow);
  });

  it("accepts only plain ids (header before cookie)", () => {
    expect(testClockIdOf("abc_1-2", "cookie")).toBe("abc_1-2");
    expect(testClockIdOf(null, "cookie-id")).toBe("cookie-id");
    expect(testClockIdOf("a b", null)).toBeNull();
    expect(testClockIdOf("x".repeat(65), null)).toBeNull();
    expect(testClockIdOf(null, null)).toBeNull();
  });
});
