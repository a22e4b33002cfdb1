import { cookies, headers } from "next/headers";
import { z } from "zod";
import { TEST_CLOCK_COOKIE, TEST_CLOCK_HEADER, advanceTestClock, testClockIdOf, testClockOffset } from "@/lib/clock";
import { authorized } from "../authorized";

/**
 * Test builds only (a `.testroute.ts` file: next.config.ts builds it only with PIM_TEST_BUILD=1). Moves the
 * test clock the request names (x-pim-test-clock header or pim-test-clock cookie) forward; GET tells its time.
 * The caller must hold CRON_SECRET.
 */
export const dynamic = "force-dynamic";

const body = z.object({
  advanceMinutes: z
    .number()
    .min(0)
    .max(60 * 24 * 400),
});

async function clockId(): Promise<string | null> {
  return testClockIdOf((await headers()).get(TEST_CLOCK_HEADER), (await cookies()).get(TEST_CLOCK_COOKIE)?.value);
}

const noClock = () =>
  Response.json(
    { error: `name a test clock with the ${TEST_CLOCK_HEADER} header or ${TEST_CLOCK_COOKIE} cookie` },
    { status: 400 },
  );

export async function POST(req: Request) {
  if (!authorized(req)) return Response.json({ error: "unauthorized" }, { status: 401 });
  const id = await clockId();
  if (!id) return noClock();
  const parsed = body.safeParse(await req.json().catch(() => null));
  if (!parsed.success) return Response.json({ error: "advanceMinutes (number) is required" }, { status: 400 });
  const offsetMs = advanceTestClock(id, parsed.data.advanceMinutes * 60_000);
  return Response.json({ now: new Date(Date.now() + offsetMs).toISOString(), offsetMs });
}

export async function GET(req: Request) {
  if (!authorized(req)) return Response.json({ error: "unauthorized" }, { status: 401 });
  const id = await clockId();
  if (!id) return noClock();
  return Response.json({ now: new Date(Date.now() + testClockOffset(id)).toISOString() });
}
