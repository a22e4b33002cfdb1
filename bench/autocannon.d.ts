// Minimal types for autocannon 9 (it ships none): only what bench/ uses.
declare module "autocannon" {
  type Histogram = { average: number; p50: number; p90: number; p99: number; max: number; total: number };
  type Result = {
    requests: Histogram & { total: number };
    latency: Histogram;
    non2xx: number;
    errors: number;
    timeouts: number;
    /** Seconds the run took. */
    duration: number;
  };
  type Request = {
    method?: "GET" | "POST";
    path: string;
    headers?: Record<string, string>;
    body?: string;
  };
  type Options = {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    method?: "GET" | "POST";
    body?: string;
    headers?: Record<string, string>;
    requests?: Request[];
  };
  type Instance = Promise<Result> & {
    on(event: "response", fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  };
  function autocannon(opts: Options): Instance;
  namespace autocannon {
    export type { Request };
  }
  export default autocannon;
}
