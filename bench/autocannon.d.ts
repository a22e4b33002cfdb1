// Minimal types for autocannon 9 (it ships none): only what bench/access-check.ts uses.
declare module "autocannon" {
  type Histogram = { average: number; p50: number; p90: number; p99: number; max: number; total: number };
  type Result = {
    requests: Histogram & { total: number };
    latency: Histogram;
    non2xx: number;
    errors: number;
    timeouts: number;
  };
  type Options = {
    url: string;
    connections?: number;
    duration?: number;
    headers?: Record<string, string>;
    requests?: { method: "GET" | "POST"; path: string }[];
  };
  function autocannon(opts: Options): Promise<Result>;
  export default autocannon;
}
