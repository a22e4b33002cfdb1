/**
 * The server's clock: the wall clock.
 *
 * Test builds only (`PIM_TEST_BUILD=1 next build`, the build the e2e suite runs): a request may name a test
 * clock with the `pim-test-clock` cookie or the `x-pim-test-clock` header, and then runs at that clock's time
 * (wall clock + the offset its test moved it by through /api/test/clock). Each e2e test uses its own clock
 * id, so parallel tests never see each other's time; requests without one (or outside a request) get the
 * wall clock. next.config.ts inlines `process.env.PIM_TEST_BUILD` at build time, so in a normal build the
 * branch below is dead code and removed, and the /api/test routes are not built at all (pageExtensions).
 */
export const TEST_CLOCK_COOKIE = "pim-test-clock";
export const TEST_CLOCK_HEADER = "x-pim-test-clock";
const CLOCK_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function serverNow(): Date {
  return new Date();
}

const g = globalThis as unknown as { __pimTestClocks?: Map<string, number> };
const clocks = () => (g.__pimTestClocks ??= new Map());

/** Test builds: how far (ms) the named test clock runs ahead of the wall clock. */
export function testClockOffset(id: string): number {
  return clocks().get(id) ?? 0;
}

/** Test builds: moves the named test clock forward; returns its offset. */
export function advanceTestClock(id: string, ms: number): number {
  if (process.env.PIM_TEST_BUILD !== "1") throw new Error("The test clock exists in test builds only");
  if (!CLOCK_ID.test(id)) throw new Error("A test clock id is 1-64 letters, digits, - or _");
  const offset = testClockOffset(id) + ms;
  clocks().set(id, offset);
  return offset;
}

/** The clock id a request names (header first, then cookie), or null. */
export function testClockIdOf(header: string | null | undefined, cookie: string | null | undefined): string | null {
  const id = header || cookie || null;
  return id && CLOCK_ID.test(id) ? id : null;
}

/** The clock of the current request: the wall clock, or (test builds) the test clock the request names. */
export async function requestClock(): Promise<() => Date> {
  if (process.env.PIM_TEST_BUILD === "1") {
    let id: string | null = null;
    try {
      const { cookies, headers } = await import("next/headers");
      id = testClockIdOf((await headers()).get(TEST_CLOCK_HEADER), (await cookies()).get(TEST_CLOCK_COOKIE)?.value);
    } catch {
      // Outside a request (the in-process scheduler): the wall clock.
    }
    if (id) {
      const clockId = id;
      return () => new Date(Date.now() + testClockOffset(clockId));
    }
  }
  return serverNow;
}
