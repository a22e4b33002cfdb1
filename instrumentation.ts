/**
 * Next.js calls register() once when a server instance starts. On the Node.js runtime we start the
 * notification fan-out relay, and the minute job (expiry + email delivery) unless PIM_SCHEDULER=off. Never during `next build` (which may
 * load this file): a build must not open the database. The import is dynamic so the Edge bundle never
 * sees database code.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  if (["1", "true", "on"].includes(process.env.PIM_TEST_CLOCK ?? "")) {
    console.warn(
      "[pim] PIM_TEST_CLOCK is on: whoever holds CRON_SECRET can move this server's clock. For end-to-end tests only; never in production.",
    );
  }
  const { startAppFanOutRelay, startAppScheduler } = await import("./lib/notify/app-scheduler");
  startAppFanOutRelay();
  startAppScheduler();
}
