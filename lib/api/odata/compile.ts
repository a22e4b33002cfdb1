/**
 * Compiles a parsed `$filter` into a Drizzle condition over the documented fields of one resource.
 * Every value is a bound parameter (never spliced into SQL). Values are checked against the field's
 * type first (GUID, enum member, ISO date-time, boolean), so the database never sees a value it would
 * reject — a wrong value is a 400, not a 500.
 */
import { and, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, ne, or, sql, type SQL } from "drizzle-orm";
import type { AnyColumn } from "drizzle-orm";
import { badRequest, unsupportedQuery } from "../errors";
import type { CompareOp, FilterNode, Literal } from "./filter";

export type FieldType = "string" | "guid" | "enum" | "datetime" | "boolean";

export type FieldDef = {
  /** The column (or an SQL expression) the field reads. */
  column: AnyColumn | SQL;
  type: FieldType;
  /** For enums: the accepted values (Graph's spellings). */
  values?: readonly string[];
  /** `eq null` / `ne null` allowed. */
  nullable?: boolean;
  /** Maps a Graph value to the stored value (e.g. scheduleInfo types). */
  map?: (v: string) => string;
  /** Compare case-insensitively (Graph does for userPrincipalName and mail). */
  ci?: boolean;
};

export type FieldMap = Record<string, FieldDef>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function value(field: string, def: FieldDef, lit: Literal): unknown {
  const wrong = (what: string) => badRequest(`Invalid filter clause: '${field}' compares with ${what}.`);
  switch (def.type) {
    case "guid": {
      const v = lit.kind === "guid" ? lit.value : lit.kind === "string" ? lit.value.toLowerCase() : null;
      if (v === null || !GUID.test(v)) throw wrong("a value that is not a GUID");
      return v;
    }
    case "enum": {
      if (lit.kind !== "string") throw wrong("a value that is not a quoted string");
      // enum members compare case-insensitively, as Graph reads them
      const hit = def.values?.find((v) => v.toLowerCase() === lit.value.toLowerCase());
      if (!hit)
        throw badRequest(
          `Invalid filter clause: '${lit.value}' is not a value of '${field}' (${def.values?.join(", ")}).`,
        );
      return def.map ? def.map(hit) : hit;
    }
    case "string": {
      if (lit.kind !== "string" && lit.kind !== "guid") throw wrong("a value that is not a quoted string");
      if (lit.value.length > 500) throw wrong("a string longer than 500 characters");
      return def.map ? def.map(lit.value) : lit.value;
    }
    case "datetime": {
      const s = lit.kind === "datetime" || lit.kind === "string" ? lit.value : null;
      const d = s ? new Date(s) : null;
      if (!d || Number.isNaN(d.getTime())) throw wrong("a value that is not an ISO 8601 date-time");
      return d;
    }
    case "boolean": {
      if (lit.kind !== "bool") throw wrong("a value that is not true or false");
      return lit.value;
    }
  }
}

function compare(field: string, def: FieldDef, op: CompareOp, lit: Literal): SQL {
  const col = def.column as AnyColumn;
  if (lit.kind === "null") {
    if (!def.nullable) throw unsupportedQuery(`'${field}' is never null; comparing it with null is not supported.`);
    if (op === "eq") return isNull(col);
    if (op === "ne") return isNotNull(col);
    throw unsupportedQuery(`Operator '${op}' cannot compare with null.`);
  }
  if (op !== "eq" && op !== "ne" && def.type !== "datetime")
    throw unsupportedQuery(`Operator '${op}' is supported only on date-time properties, not on '${field}'.`);
  const v = value(field, def, lit);
  if (def.ci && typeof v === "string" && (op === "eq" || op === "ne")) {
    const same = sql`lower(${col}) = lower(${v})`;
    return op === "eq" ? same : def.nullable ? sql`(not ${same} or ${col} is null)` : sql`not ${same}`;
  }
  switch (op) {
    case "eq":
      return eq(col, v);
    // OData `ne` keeps rows where the property is null (null is "not equal" to a value).
    case "ne":
      return def.nullable ? (or(ne(col, v), isNull(col)) as SQL) : ne(col, v);
    case "gt":
      return gt(col, v);
    case "ge":
      return gte(col, v);
    case "lt":
      return lt(col, v);
    case "le":
      return lte(col, v);
  }
}

/** Compiles `node` over `fields`; unknown properties are refused with the list of supported ones. */
export function compileFilter(node: FilterNode, fields: FieldMap): SQL {
  const def = (name: string): FieldDef => {
    const d = Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
    if (!d)
      throw unsupportedQuery(
        `Filtering on '${name}' is not supported. Supported properties: ${Object.keys(fields).join(", ")}.`,
      );
    return d;
  };
  switch (node.type) {
    case "and":
      return and(compileFilter(node.left, fields), compileFilter(node.right, fields)) as SQL;
    case "or":
      return sql`(${or(compileFilter(node.left, fields), compileFilter(node.right, fields))})`;
    case "compare":
      return compare(node.field, def(node.field), node.op, node.value);
    case "func": {
      const d = def(node.field);
      if (d.type !== "string")
        throw unsupportedQuery(`${node.fn} works on text properties; '${node.field}' is not one.`);
      const v = value(node.field, d, node.value) as string;
      const escaped = v.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
      const pattern = node.fn === "startswith" ? `${escaped}%` : `%${escaped}`;
      return sql`lower(${d.column}) like ${pattern}`;
    }
    case "in": {
      const d = def(node.field);
      if (node.values.some((v) => v.kind === "null")) throw unsupportedQuery("'in' does not accept null.");
      if (d.type === "datetime") throw unsupportedQuery(`'in' is not supported on date-time property '${node.field}'.`);
      const values = node.values.map((v) => value(node.field, d, v));
      if (d.ci)
        return sql`lower(${d.column}) in (${sql.join(
          values.map((v) => sql`lower(${v})`),
          sql`, `,
        )})`;
      return inArray(d.column as AnyColumn, values);
    }
  }
}
