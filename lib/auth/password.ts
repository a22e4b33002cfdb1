import { hash, verify } from "@node-rs/argon2";

/** Argon2id with the library's defaults (memory-hard); the encoded hash carries its parameters. */
export const hashPassword = (plain: string) => hash(plain);

export async function verifyPassword(encoded: string | null | undefined, plain: string): Promise<boolean> {
  if (!encoded) return false;
  try {
    return await verify(encoded, plain);
  } catch {
    return false;
  }
}
