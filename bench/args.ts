/** Command-line options shared by the benchmarks: `--size S|M|L`, `--database-url URL`, `--flag value`. */
import { sizeOf, type SizeName } from "./generate/sizes";

export type BenchArgs = { size: SizeName; databaseUrl: string; options: Record<string, string> };

export const SERVER_URL = process.env.BENCH_SERVER_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** The default database of a size: pim_bench_s, pim_bench_m, pim_bench_l on the local server. */
export function defaultDatabaseUrl(size: SizeName): string {
  const u = new URL(SERVER_URL);
  u.pathname = `/pim_bench_${size.toLowerCase()}`;
  return u.toString();
}

export function parseArgs(argv: string[]): BenchArgs {
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (!a.startsWith("--")) throw new Error(`Unexpected argument '${a}'`);
    const [k, inline] = a.slice(2).split("=", 2) as [string, string | undefined];
    const v = inline ?? argv[i + 1];
    if (inline === undefined) i++;
    if (v === undefined) throw new Error(`--${k} needs a value`);
    options[k] = v;
  }
  const size = (options.size ?? "S").toUpperCase() as SizeName;
  sizeOf(size);
  return { size, databaseUrl: options["database-url"] ?? defaultDatabaseUrl(size), options };
}
