// Shared helpers for the project's scripts (plain Node, no build step).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

/** Debian's Chromium, CHROMIUM_PATH, or Playwright's own download; null when none is found. */
export function findChromium() {
  const candidates = [
    process.env.CHROMIUM_PATH,
    // Debian's chromium-headless-shell: the old headless mode Playwright itself prefers for headless runs. It
    // uses well under half the CPU of the full browser per page (no GPU process, no browser UI), which on
    // 2 cores is most of the end-to-end run's time. The full browser is the fallback.
    "/usr/bin/chromium-headless-shell",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
  ];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  try {
    const base = process.env.PLAYWRIGHT_BROWSERS_PATH || path.join(process.env.HOME || "", ".cache/ms-playwright");
    for (const d of fs.readdirSync(base)) {
      const p = path.join(base, d, "chrome-linux", "chrome");
      if (d.startsWith("chromium") && fs.existsSync(p)) return p;
    }
  } catch {
    /* no Playwright cache */
  }
  return null;
}

export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A stable AUTH_SECRET for local runs, kept (git-ignored) in .data/auth-secret. */
export function localAuthSecret() {
  const file = path.join(root, ".data", "auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

/** Runs a command, inheriting stdio; resolves with its exit code. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      stdio: "inherit",
      cwd: root,
      ...opts,
      env: { ...process.env, ...(opts.env || {}) },
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export async function mustRun(cmd, args, opts = {}) {
  const code = await run(cmd, args, opts);
  if (code !== 0) {
    console.error(`\n${cmd} ${args.join(" ")} failed with exit code ${code}`);
    process.exit(code);
  }
}

export const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
export const tsxBin = path.join(root, "node_modules", ".bin", "tsx");

/** Is there a finished production build in this dist folder? */
export const hasBuild = (distDir) => fs.existsSync(path.join(root, distDir, "BUILD_ID"));

/** True when a source file is newer than the build in distDir (so `npm run demo` rebuilds after a pull). */
export function buildIsStale(distDir) {
  const idFile = path.join(root, distDir, "BUILD_ID");
  if (!fs.existsSync(idFile)) return true;
  const built = fs.statSync(idFile).mtimeMs;
  const dirs = ["app", "components", "lib", "db"];
  const files = ["package.json", "next.config.ts", "package-lock.json"];
  const newer = (p) => fs.statSync(p).mtimeMs > built;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (walk(p)) return true;
      } else if (newer(p)) return true;
    }
    return false;
  };
  return (
    files.some((f) => fs.existsSync(path.join(root, f)) && newer(path.join(root, f))) ||
    dirs.some((d) => fs.existsSync(path.join(root, d)) && walk(path.join(root, d)))
  );
}
