/**
 * The portal's access-check handler in-process, before/after side by side (no Next, no HTTP), the same token
 * and questions in alternating rounds: `runApi` with `checkAccess` (the token lookup, then the question: two
 * statements, the endpoint before) and `handleAccessCheck` (a role question in one statement: the endpoint now).
 * `npx tsx bench/access-check-handler.ts [--size M] [--calls 2000] [--rounds 3]`.
 */
import os from "node:os";
import { openDb } from "@/db/client";
import { answerAccessCheck, handleAccessCheck } from "@/lib/api/access-check";
import { json, runApi, setApiCtxProvider, setApiRateLimit } from "@/lib/api/handler";
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
  const twoStatements = (req: Request) =>
    runApi(req, "accessCheck", async (c) => json(await answerAccessCheck(c.ctx, c.caller, c.url.searchParams)));
  const variants = {
    "runApi + checkAccess (before)": twoStatements,
    "handleAccessCheck (now)": handleAccessCheck,
  } as const;
  const run = async (handle: (req: Request) => Promise<Response>): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) {
      const req = new Request(`http://127.0.0.1/api/v1/access/check?${questions[i % questions.length]}`, {
        headers: { authorization: `Bearer ${BENCH_APP_TOKEN}` },
      });
      const res = await handle(req);
      if (res.status !== 200) throw new Error(`answered ${res.status}: ${await res.text()}`);
      await res.text();
    }
    return (performance.now() - t0) / calls;
  };
  for (const handle of Object.values(variants)) await run(handle); // warm (JIT, prepared statements)
  const rows: (string | number)[][] = [];
  for (let r = 1; r <= rounds; r++) {
    const cells: (string | number)[] = [r];
    for (const handle of Object.values(variants)) cells.push((await run(handle)).toFixed(2));
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
