import { afterEach, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { acquirePgliteLock } from "./pglite-lock";

describe("one process per PGlite folder", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill("SIGKILL");
  });

  it("refuses a second live process with a clear message, and takes over a stale lock", async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pim-lock-")), "pglite");
    // Another live process holds the lock.
    child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    await new Promise((r) => child!.once("spawn", r));
    fs.writeFileSync(`${dir}.lock`, String(child.pid));
    expect(() => acquirePgliteLock(dir)).toThrow(/in use by process \d+\. Only one process may open a PGlite folder/);

    // Once that process is gone, its lock is stale and is taken over.
    child.kill("SIGKILL");
    await new Promise((r) => child!.once("exit", r));
    const release = acquirePgliteLock(dir);
    expect(fs.readFileSync(`${dir}.lock`, "utf8")).toBe(String(process.pid));
    release();
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
  });
});
