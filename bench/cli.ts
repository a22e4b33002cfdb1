/**
 * One command per benchmark: `npm run bench -- <name> --size S|M|L [--database-url URL] [...]`.
 * Each prints a table (figures with the machine's load average). See BENCHMARKS.md.
 */
import os from "node:os";
import { parseArgs, type BenchArgs } from "./args";

type Command = { about: string; run: (args: BenchArgs) => Promise<void> };

const commands: Record<string, Command> = {
  "pages-pglite": {
    about:
      "the same pages on an embedded PGlite copy of --database-url (size S) and on PostgreSQL, alternating per page",
    run: async (a) => {
      const { copyToPglite } = await import("./lib/pglite-copy");
      const { pagesBench } = await import("./pages");
      const dir = ".data/pglite-bench";
      const counts = await copyToPglite(a.databaseUrl, dir);
      console.log(`PGlite copy in ${dir}: ${counts.audit_events ?? 0} audit rows, ${counts.users ?? 0} users`);
      if (a.options.apart) {
        // the earlier way: every page on PGlite, then every page on PostgreSQL (the load may drift between them)
        await pagesBench({ ...a, options: { ...a.options, statements: "off" } }, { pgliteDir: dir });
        await pagesBench({ ...a, options: { ...a.options, statements: "off" } });
      } else await (await import("./pages")).pagesSideBySide(a, dir);
    },
  },
  activation: {
    about: "self-activation through Graph (each notifies the GA/PRA holders), p50/p95 at 1 and 10 in flight",
    run: async (a) => (await import("./jobs")).activationBench(a),
  },
  sweep: {
    about: "expiry sweep with --due N (default 100000) due activations, then with nothing due",
    run: async (a) => (await import("./jobs")).sweepBench(a),
  },
  export: {
    about: "Activity CSV export of every audit row: time and the server's peak RSS",
    run: async (a) => (await import("./jobs")).exportBench(a),
  },
  pages: {
    about: "every page (first, filtered, deep) at 1 and 10 connections, signed in; statements per load",
    run: async (a) => (await import("./pages")).pagesBench(a),
  },
  "access-check": {
    about: "access check at 10 connections: bare baseline, decision server, portal endpoint, /api/health (one run)",
    run: async (a) => (await import("./access-check")).accessCheckBench(a),
  },
  generate: {
    about: "write a directory of the size into PostgreSQL (drops and re-creates --database-url)",
    run: async (a) => {
      const { generate } = await import("./generate/generate");
      const started = performance.now();
      const load0 = os.loadavg()[0] ?? 0;
      const s = await generate(a.databaseUrl, a.size, { log: (l) => console.log(`  ${l}`) });
      const secs = (performance.now() - started) / 1000;
      console.log(`\n| table | rows |\n|---|---:|`);
      for (const [k, v] of Object.entries(s.counts)) console.log(`| ${k} | ${v.toLocaleString("en")} |`);
      console.log(
        `\ngenerate --size ${a.size}: ${secs.toFixed(1)} s into ${new URL(a.databaseUrl).pathname.slice(1)}; ` +
          `load average ${load0.toFixed(2)} before, ${(os.loadavg()[0] ?? 0).toFixed(2)} after (${os.cpus().length} cores)`,
      );
    },
  },
};

async function main() {
  const [name, ...rest] = process.argv.slice(2);
  const cmd = name ? commands[name] : undefined;
  if (!cmd) {
    console.log("usage: npm run bench -- <name> --size S|M|L [--database-url URL]\n");
    for (const [k, c] of Object.entries(commands)) console.log(`  ${k.padEnd(14)} ${c.about}`);
    process.exit(name ? 1 : 0);
  }
  await cmd.run(parseArgs(rest));
  process.exit(0);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  if (process.env.BENCH_DEBUG) console.error(err);
  process.exit(1);
});
