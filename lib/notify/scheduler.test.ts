import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startScheduler } from "./scheduler";

// Fake timers: every tick and every job's duration is on the test's clock, so the counts below are exact
// and no test waits on (or depends on the speed of) the real machine.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

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
        await sleep(55);
        active--;
      },
    });
    // runs start at 0, 60, 120 and 180 ms; the ticks in between find a run going and are skipped
    await vi.advanceTimersByTimeAsync(200);
    expect(runs).toBe(4);
    expect(maxActive).toBe(1);
    const stopping = s.stop();
    await vi.advanceTimersByTimeAsync(55);
    await stopping;
    expect(active).toBe(0);
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
    await vi.advanceTimersByTimeAsync(25); // runs at 0, 10 and 20 ms
    await s.stop();
    expect(n).toBe(3);
    expect(lines).toHaveLength(1);
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
    await vi.advanceTimersByTimeAsync(10);
    expect(runs).toBe(1);
    let stopped = false;
    const stopping = s.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(stopped).toBe(false); // the run is still going: stop waits for it
    await vi.advanceTimersByTimeAsync(20);
    await stopping;
    expect(finished).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(1);
  });
});
