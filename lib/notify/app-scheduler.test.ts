import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { register } from "@/instrumentation";
import { startAppScheduler } from "./app-scheduler";

const g = globalThis as unknown as {
  __pimScheduler?: { stop: () => Promise<void> };
  __pimFanOutRelay?: { stop: () => Promise<void> };
};
const saved = {
  PIM_SCHEDULER: process.env.PIM_SCHEDULER,
  NEXT_RUNTIME: process.env.NEXT_RUNTIME,
  NEXT_PHASE: process.env.NEXT_PHASE,
};

afterEach(async () => {
  await g.__pimScheduler?.stop();
  g.__pimScheduler = undefined;
  await g.__pimFanOutRelay?.stop();
  g.__pimFanOutRelay = undefined;
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
});

describe("in-process scheduler", () => {
  it("is off with PIM_SCHEDULER=off", () => {
    process.env.PIM_SCHEDULER = "off";
    resetEnvCache();
    expect(startAppScheduler()).toBeNull();
  });

  it("starts once per process when on (a second call returns the same scheduler)", () => {
    process.env.PIM_SCHEDULER = "on";
    resetEnvCache();
    const a = startAppScheduler();
    expect(a).not.toBeNull();
    expect(startAppScheduler()).toBe(a);
  });

  it("register() starts it on the Node.js runtime only, and never during next build", async () => {
    process.env.PIM_SCHEDULER = "on";
    resetEnvCache();
    process.env.NEXT_RUNTIME = "edge";
    await register();
    expect(g.__pimScheduler).toBeUndefined();
    process.env.NEXT_RUNTIME = "nodejs";
    process.env.NEXT_PHASE = "phase-production-build";
    await register();
    expect(g.__pimScheduler).toBeUndefined();
    delete process.env.NEXT_PHASE;
    await register();
    expect(g.__pimScheduler).toBeDefined();
  });
});
