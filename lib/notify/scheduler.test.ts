import { describe, expect, it } from "vitest";
import { startScheduler } from "./scheduler";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("startScheduler", () => {
  it("never overlaps runs: ticks during a slow run are skipped", async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const s = startScheduler({
      name: "t",
      intervalMs: 10,
      firstDelayMs: 0,
      job: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs++;
        await sleep(60);
        active--;
      },
    });
    await sleep(200);
    await s.stop();
    expect(maxActive).toBe(1);
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(runs).toBeLessThanOrEqual(5);
  });

  it("logs a failed run in one line without credentials and keeps going", async () => {
    const lines: string[] = [];
    let n = 0;
    const s = startScheduler({
      name: "t",
      intervalMs: 10,
      firstDelayMs: 0,
      log: (l) => lines.push(l),
      job: async () => {
        n++;
        if (n === 1) throw new Error("connect ECONNREFUSED postgres://pim:hunter2@db:5432/pim\n    at stack");
      },
    });
    await sleep(80);
    await s.stop();
    expect(n).toBeGreaterThan(1);
    expect(lines[0]).toContain("[t] run failed: connect ECONNREFUSED");
    expect(lines.join("\n")).not.toContain("hunter2");
    expect(lines[0]).not.toContain("\n");
  });

  it("stop waits for the current run and prevents further runs", async () => {
    let runs = 0;
    let finished = false;
    const s = startScheduler({
      name: "t",
      intervalMs: 5,
      firstDelayMs: 0,
      job: async () => {
        runs++;
        await sleep(30);
        finished = true;
      },
    });
    await sleep(10);
    await s.stop();
    expect(finished).toBe(true);
    const after = runs;
    await sleep(30);
    expect(runs).toBe(after);
  });
});
