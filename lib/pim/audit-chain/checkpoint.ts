import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { appendFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { count, desc, lte } from "drizzle-orm";
import { auditEvents } from "@/db/schema";
import type { Db } from "@/db/types";
import { GENESIS_HASH, stableJson } from "./canonical";

/**
 * A signed statement "at time `at`, the chain's newest row was `headId` with hash `headHash`, and
 * `rows` rows had ids up to it". Signed with HMAC-SHA256 under a key the database never holds, and kept
 * outside the database (a JSON-lines file, and an email to admins), so whoever can rewrite the table
 * still cannot make an old checkpoint agree with a truncated or re-hashed chain.
 */
export type Checkpoint = {
  v: 1;
  at: string;
  headId: number;
  headHash: string;
  rows: number;
  keyId: string;
  mac: string;
};

export const CHECKPOINT_FILE = "audit-checkpoints.jsonl";

/** Names the key without revealing it (the first 16 hex digits of its sha256). */
export const checkpointKeyId = (key: string) => createHash("sha256").update(key, "utf8").digest("hex").slice(0, 16);

const macOf = (key: string, cp: Omit<Checkpoint, "mac">) =>
  createHmac("sha256", key)
    .update(
      stableJson({ v: cp.v, at: cp.at, headId: cp.headId, headHash: cp.headHash, rows: cp.rows, keyId: cp.keyId }),
    )
    .digest("hex");

export function signCheckpoint(key: string, body: Omit<Checkpoint, "mac" | "keyId" | "v">): Checkpoint {
  const unsigned = { v: 1 as const, ...body, keyId: checkpointKeyId(key) };
  return { ...unsigned, mac: macOf(key, unsigned) };
}

export function checkpointSignatureValid(key: string, cp: Checkpoint): boolean {
  if (cp.keyId !== checkpointKeyId(key) || !/^[0-9a-f]{64}$/.test(cp.mac)) return false;
  const want = Buffer.from(macOf(key, cp), "hex");
  return timingSafeEqual(new Uint8Array(want), new Uint8Array(Buffer.from(cp.mac, "hex")));
}

/** The chain head as committed now and the number of rows up to it. */
export async function readChainHead(db: Db): Promise<{ headId: number; headHash: string; rows: number }> {
  const [last] = await db
    .select({ id: auditEvents.id, hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.id))
    .limit(1);
  if (!last) return { headId: 0, headHash: GENESIS_HASH, rows: 0 };
  // Later writers draw ids above the head (under the chain lock), so this count is stable.
  const [c] = await db.select({ n: count() }).from(auditEvents).where(lte(auditEvents.id, last.id));
  return { headId: last.id, headHash: last.hash, rows: Number(c?.n ?? 0) };
}

export async function takeCheckpoint(db: Db, now: Date, key: string): Promise<Checkpoint> {
  return signCheckpoint(key, { at: now.toISOString(), ...(await readChainHead(db)) });
}

/** Appends one line to `<dir>/audit-checkpoints.jsonl` (created 0600; never rewritten). */
export async function appendCheckpoint(dir: string, cp: Checkpoint): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, CHECKPOINT_FILE);
  await appendFile(file, `${JSON.stringify(cp)}\n`, { flag: "a", mode: 0o600 });
  return file;
}

export type CheckpointLine = { line: number; checkpoint: Checkpoint } | { line: number; error: string };

function parseLine(text: string): Checkpoint | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  const c = v as Partial<Checkpoint> | null;
  const ok =
    c !== null &&
    typeof c === "object" &&
    c.v === 1 &&
    typeof c.at === "string" &&
    Number.isSafeInteger(c.headId) &&
    typeof c.headHash === "string" &&
    Number.isSafeInteger(c.rows) &&
    typeof c.keyId === "string" &&
    typeof c.mac === "string";
  return ok ? (c as Checkpoint) : "not a checkpoint (fields missing or of the wrong type)";
}

/** Every line of the checkpoint file (none when the file does not exist yet). */
export async function readCheckpoints(dir: string): Promise<CheckpointLine[]> {
  let text: string;
  try {
    text = await readFile(path.join(dir, CHECKPOINT_FILE), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const out: CheckpointLine[] = [];
  text.split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    const r = parseLine(raw);
    out.push(typeof r === "string" ? { line: i + 1, error: r } : { line: i + 1, checkpoint: r });
  });
  return out;
}
