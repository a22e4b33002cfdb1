import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

/**
 * Encrypts small secrets at rest (TOTP seeds) with AES-256-GCM under a key derived from AUTH_SECRET by HKDF.
 * Format: "v1.<iv b64url>.<tag b64url>.<ciphertext b64url>".
 */
// Plain Uint8Arrays: this @types/node's Buffer is not assignable to TypeScript 6's Uint8Array<ArrayBufferLike>.
const bytes = (b: ArrayBuffer | ArrayLike<number>) => new Uint8Array(b);
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64url");
const unb64 = (s: string) => bytes(Buffer.from(s, "base64url"));
const concat = (parts: ArrayLike<number>[]) => bytes(parts.flatMap((p) => Array.from(p)));

function key(secret: string): Uint8Array {
  return bytes(hkdfSync("sha256", secret, "pim-portal", "totp-secret-encryption", 32));
}

function authSecret(): string {
  const s = env().AUTH_SECRET;
  if (!s || s.length < 32) throw new Error("AUTH_SECRET must be set (at least 32 characters) to encrypt MFA secrets");
  return s;
}

export function encryptSecret(plain: string, secret = authSecret()): string {
  const iv = bytes(randomBytes(12));
  const cipher = createCipheriv("aes-256-gcm", key(secret), iv);
  const ct = concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", b64(iv), b64(bytes(cipher.getAuthTag())), b64(ct)].join(".");
}

export function decryptSecret(box: string, secret = authSecret()): string {
  const [v, iv, tag, ct] = box.split(".");
  if (v !== "v1" || !iv || !tag || !ct) throw new Error("Unrecognised secret format");
  const decipher = createDecipheriv("aes-256-gcm", key(secret), unb64(iv));
  decipher.setAuthTag(unb64(tag));
  return new TextDecoder().decode(concat([decipher.update(unb64(ct)), decipher.final()]));
}
