/**
 * Next.js calls register() once when a server instance starts. On the Node.js runtime we start the
 * notification fan-out relay, and the minute job (expiry + email delivery) unless PIM_SCHEDULER=off. Never during `next build` (which may
 * load this file): a build must not open the database. The import is dynamic so the Edge bundle never
 * sees database code.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  if (process.env.PIM_TEST_BUILD === "1") {
    console.warn(
      "[pim] This is a test build (PIM_TEST_BUILD=1): it has /api/test routes and per-test clocks. For end-to-end tests only; never in production.",
    );
  }
  const { startAppFanOutRelay, startAppScheduler } = await import("./lib/notify/app-scheduler");
  startAppFanOutRelay();
  startAppScheduler();
}
