/**
 * Self-activation in-process on a generated database (issue 10, item 4: why p95 missed 100 ms):
 *   npx tsx bench/activation-relay.ts <database-url> none|fan|relay
 * 30 activations of User Administrator by the bench activators, one at a time, through the use case
 * `activateRole` (the transaction of a Graph selfActivate). `fan`: the fan-out (`fanOutEvents`) after each, timed
 * apart; `relay`: the server's fan-out relay (lib/notify/relay.ts) running in the same process, as in the portal.
 * Prints p50/p95, the worst event-loop delay and the statements' time per activation (largest first).
 */
import { openDb } from "@/db/client";
import postgres from "postgres";
import os from "node:os";
import { activateRole } from "@/lib/pim/use-cases/activate-role";
import { fanOutEvents } from "@/lib/pim/notifications/fan-out";
import { startFanOutRelay } from "@/lib/notify/relay";
import { activatorId } from "./generate/personas";
const USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";
const url = process.argv[2]!;
async function main() {
  const raw = postgres(url, { max: 1, onnotice: () => {} });
  await raw`update role_assignment_schedules set status = 'Revoked', end_date_time = now(), updated_at = now()
    where principal_id::text like 'b1000000-%' and assignment_type = 'Activated' and status in ('Provisioned', 'Granted')`;
  const byStmt = new Map<string, number>();
  let last = performance.now();
  let lastQ = "";
  const logger = {
    logQuery: (q: string) => {
      const t = performance.now();
      if (lastQ) byStmt.set(lastQ, (byStmt.get(lastQ) ?? 0) + (t - last));
      last = t;
      lastQ = q.replace(/\s+/g, " ").slice(0, 90);
    },
  };
  const { db, close } = await openDb({ url, max: 2, logger });
  const act: number[] = [];
  const fan: number[] = [];
  const relay = process.argv[3] === "relay" ? startFanOutRelay(async () => ({ db, now: () => new Date() })) : null;
  let lagMax = 0;
  let tick = performance.now();
  const iv = setInterval(() => {
    const t = performance.now();
    const d = t - tick - 5;
    if (d > lagMax) lagMax = d;
    tick = t;
  }, 5);
  for (let i = 0; i < 30; i++) {
    const now = new Date();
    const actor = { id: activatorId(i), type: "User" as const, displayName: `Bench Activator ${i}`, mfaAt: now };
    let t = performance.now();
    lastQ = "";
    last = t;
    await activateRole({ db, now: () => new Date() }, actor, {
      roleDefinitionId: USER_ADMINISTRATOR,
      justification: "profile",
      durationMinutes: 60,
    });
    act.push(performance.now() - t);
    if (process.argv[3] === "fan") {
      t = performance.now();
      lastQ = "";
      await fanOutEvents(db, new Date(), { baseUrl: "http://x" });
      fan.push(performance.now() - t);
    }
  }
  await relay?.stop();
  clearInterval(iv);
  console.log(`event-loop delay: max ${lagMax.toFixed(1)} ms`);
  const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * xs.length)]?.toFixed(1);
  console.log(
    `activate p50 ${p(act, 0.5)} p95 ${p(act, 0.95)}; fan-out p50 ${p(fan, 0.5)} p95 ${p(fan, 0.95)}; load ${os.loadavg()[0]!.toFixed(2)}`,
  );
  console.log(
    [...byStmt.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([q, ms]) => `${(ms / 30).toFixed(2)} ms  ${q}`)
      .join("\n"),
  );
  await raw.end();
  await close();
}
main();
