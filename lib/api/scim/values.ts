/** Shared readers of SCIM JSON values, each refusing the wrong type with a SCIM 400. */
import { invalidSyntax, invalidValue } from "./errors";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = { [k: string]: Json };

export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function str(v: Json | undefined, what: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") throw invalidValue(`'${what}' must be a string.`);
  return v;
}

/** SCIM booleans; Microsoft Entra ID sends `"True"`/`"False"` strings in PATCH (its documented quirk). */
export function bool(v: Json | undefined, what: string): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "string" && /^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
  throw invalidValue(`'${what}' must be true or false.`);
}

/** `schemas` must list `required` and nothing this service does not know. */
export function checkSchemas(body: Obj, required: string, allowed: readonly string[]): void {
  const s = body.schemas;
  if (!Array.isArray(s) || !s.every((x) => typeof x === "string"))
    throw invalidSyntax(`'schemas' must be an array listing ${required}.`);
  const lower = s.map((x) => (x as string).toLowerCase());
  if (!lower.includes(required.toLowerCase())) throw invalidSyntax(`'schemas' must include ${required}.`);
  const unknown = s.find((x) => !allowed.some((a) => a.toLowerCase() === (x as string).toLowerCase()));
  if (unknown) throw invalidSyntax(`Unknown schema ${String(unknown)}.`);
}

/** `[{ "value": "<id>" }, …]` → the ids. */
export function memberIds(v: Json | undefined, what = "members"): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((m) => {
    if (isObj(m) && typeof m.value === "string") return m.value;
    throw invalidValue(`Each of '${what}' must be an object with a string 'value' (the user's id).`);
  });
}

/** Lower-cased keys (SCIM attribute names are case-insensitive). */
export const keysLower = (o: Obj) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v])) as Obj;
