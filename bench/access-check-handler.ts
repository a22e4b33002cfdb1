/**
 * The portal's access-check handler in-process, before/after side by side (no Next, no HTTP): `runApi` with the
 * same token and questions, answering through `checkAccess` (Drizzle builds the statement per call: the
 * endpoint before) and through `preparedCheck` (the prepared statement: the endpoint now), in alternating
 * rounds. `npx tsx bench/access-check-handler.ts [--size M] [--calls 2000] [--rounds 3]`.
 */
import os from "node:os";
import { openDb } from "@/db/client";
import { answerAccessCheck, preparedCheck } from "@/lib/api/access-check";
import { json, runApi, setApiCtxProvider, setApiRateLimit } from "@/lib/api/handler";
import { checkAccess } from "@/lib/pim/access/check-access";
import { GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { parseArgs } from "./args";
import { activatorId, BENCH_APP_TOKEN, personas } from "./generate/personas";
import { loadavg, table } from "./lib/load";

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const calls = Number(a.options.calls ?? 2000);
  const rounds = Number(a.options.rounds ?? 3);
  const handle = await openDb({ url: a.databaseUrl, max: 1 });
  setApiCtxProvider(() => ({ db: handle.db, now: () => new Date() }));
  setApiRateLimit(0);
  const questions = [
    `principalId=${personas.ga.id}&roleDefinitionId=${GLOBAL_ADMINISTRATOR}`,
    `principalId=${personas.user.id}&roleDefinitionId=${USER_ADMINISTRATOR}`,
    `principalId=${activatorId(1)}&roleDefinitionId=${USER_ADMINISTRATOR}`,
  ];
  const variants = {
    "checkAccess (before)": checkAccess,
    "preparedCheck (now)": preparedCheck,
  } as const;
  const run = async (check: typeof checkAccess): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) {
      const req = new Request(`http://127.0.0.1/api/v1/access/check?${questions[i % questions.length]}`, {
        headers: { authorization: `Bearer ${BENCH_APP_TOKEN}` },
      });
      const res = await runApi(req, "accessCheck", async (c) =>
        json(await answerAccessCheck(c.ctx, c.caller, c.url.searchParams, check)),
      );
      if (res.status !== 200) throw new Error(`answered ${res.status}: ${await res.text()}`);
      await res.text();
    }
    return (performance.now() - t0) / calls;
  };
  for (const check of Object.values(variants)) await run(check); // warm (JIT, prepared statements)
  const rows: (string | number)[][] = [];
  for (let r = 1; r <= rounds; r++) {
    const cells: (string | number)[] = [r];
    for (const check of Object.values(variants)) cells.push((await run(check)).toFixed(2));
    cells.push(loadavg());
    rows.push(cells);
  }
  console.log(
    `\nportal access-check handler in-process, size ${a.size}, ${calls} sequential calls per cell, ms per call; ${os.cpus().length} cores\n`,
  );
  console.log(table(["round", ...Object.keys(variants), "load avg"], rows));
  await handle.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
