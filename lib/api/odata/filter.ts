/**
 * The `$filter` subset this API understands, parsed into a small AST:
 *   expr  := and ('or' and)*          and := unary ('and' unary)*
 *   unary := '(' expr ')' | field op literal | field 'in' '(' literal (',' literal)* ')'
 *          | ('startswith' | 'endswith') '(' field ',' 'text' ')'
 *   op    := eq | ne | gt | ge | lt | le     (ordering operators only on date-time fields; checked when compiling)
 *   literal := 'text' ('' escapes a quote) | null | true | false | number | 2026-01-01T00:00:00Z | GUID
 * Anything else (other functions, `not`, lambda operators, arithmetic) is refused with a GraphError 400 — never a crash.
 */
import { badRequest, unsupportedQuery } from "../errors";

export type Literal =
  | { kind: "string"; value: string }
  | { kind: "null" }
  | { kind: "bool"; value: boolean }
  | { kind: "number"; value: number }
  | { kind: "datetime"; value: string }
  | { kind: "guid"; value: string };
export type CompareOp = "eq" | "ne" | "gt" | "ge" | "lt" | "le";
export type FilterNode =
  | { type: "and" | "or"; left: FilterNode; right: FilterNode }
  | { type: "compare"; field: string; op: CompareOp; value: Literal }
  | { type: "in"; field: string; values: Literal[] }
  | { type: "func"; fn: "startswith" | "endswith"; field: string; value: Literal };

type Token = { t: "ident" | "string" | "lparen" | "rparen" | "comma" | "literal"; v: string; pos: number };

export const FILTER_LIMITS = { maxLength: 2000, maxTerms: 50, maxInValues: 100 };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    if (c === "(") {
      out.push({ t: "lparen", v: c, pos: i++ });
      continue;
    }
    if (c === ")") {
      out.push({ t: "rparen", v: c, pos: i++ });
      continue;
    }
    if (c === ",") {
      out.push({ t: "comma", v: c, pos: i++ });
      continue;
    }
    if (c === "'") {
      const start = i++;
      let s = "";
      for (;;) {
        if (i >= src.length)
          throw badRequest(`Invalid filter clause: unterminated string starting at position ${start}.`);
        const ch = src[i] as string;
        if (ch === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += ch;
        i++;
      }
      out.push({ t: "string", v: s, pos: start });
      continue;
    }
    const m = /^[A-Za-z0-9_./:+\-@$]+/.exec(src.slice(i));
    if (!m) throw badRequest(`Invalid filter clause: unexpected character '${c}' at position ${i}.`);
    const word = m[0];
    out.push({ t: /^[A-Za-z_@$][A-Za-z0-9_/.@$]*$/.test(word) ? "ident" : "literal", v: word, pos: i });
    i += word.length;
  }
  return out;
}

const COMPARE = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);
const UNSUPPORTED_WORDS = new Set(["not", "has", "add", "sub", "mul", "div", "mod", "any", "all"]);

/** Parses a `$filter` value. Throws GraphError 400 on anything outside the subset. */
export function parseFilter(src: string): FilterNode {
  if (src.length > FILTER_LIMITS.maxLength)
    throw badRequest(`Invalid filter clause: longer than ${FILTER_LIMITS.maxLength} characters.`);
  const tokens = tokenize(src);
  if (tokens.length === 0) throw badRequest("Invalid filter clause: the filter is empty.");
  let p = 0;
  let terms = 0;
  const peek = () => tokens[p];
  const next = () => {
    const t = tokens[p++];
    if (!t) throw badRequest("Invalid filter clause: the filter ends too early.");
    return t;
  };
  const isWord = (t: Token | undefined, w: string) => t?.t === "ident" && t.v.toLowerCase() === w;

  function literal(): Literal {
    const t = next();
    if (t.t === "string") return { kind: "string", value: t.v };
    if (t.t === "ident" || t.t === "literal") {
      const w = t.v;
      if (w === "null") return { kind: "null" };
      if (w === "true" || w === "false") return { kind: "bool", value: w === "true" };
      if (GUID.test(w)) return { kind: "guid", value: w.toLowerCase() };
      if (DATETIME.test(w)) return { kind: "datetime", value: w };
      if (NUMBER.test(w)) return { kind: "number", value: Number(w) };
    }
    throw badRequest(`Invalid filter clause: '${t.v}' at position ${t.pos} is not a value.`);
  }

  function unary(): FilterNode {
    const t = peek();
    if (!t) throw badRequest("Invalid filter clause: the filter ends too early.");
    if (t.t === "lparen") {
      next();
      const e = expr();
      if (next().t !== "rparen") throw badRequest("Invalid filter clause: ')' expected.");
      return e;
    }
    if (t.t !== "ident") throw badRequest(`Invalid filter clause: a property name was expected at position ${t.pos}.`);
    if (UNSUPPORTED_WORDS.has(t.v.toLowerCase())) throw unsupportedQuery(`Unsupported filter operator '${t.v}'.`);
    next();
    if (peek()?.t === "lparen") {
      const fn = t.v.toLowerCase();
      if (fn !== "startswith" && fn !== "endswith")
        throw unsupportedQuery(`Unsupported filter function '${t.v}' (startswith and endswith are supported).`);
      next();
      const f = next();
      if (f.t !== "ident") throw badRequest(`Invalid filter clause: ${fn} takes a property name first.`);
      if (next().t !== "comma") throw badRequest(`Invalid filter clause: ${fn}(property, 'text') expected.`);
      const value = literal();
      if (next().t !== "rparen") throw badRequest(`Invalid filter clause: ')' expected to close ${fn}.`);
      if (++terms > FILTER_LIMITS.maxTerms)
        throw unsupportedQuery(`The filter has more than ${FILTER_LIMITS.maxTerms} terms.`);
      if (isWord(peek(), "eq") || isWord(peek(), "ne"))
        throw unsupportedQuery(`Comparing ${fn}(…) with true or false is not supported; write ${fn}(…) alone.`);
      return { type: "func", fn, field: f.v, value };
    }
    const field = t.v;
    const op = next();
    if (++terms > FILTER_LIMITS.maxTerms)
      throw unsupportedQuery(`The filter has more than ${FILTER_LIMITS.maxTerms} terms.`);
    if (op.t === "ident" && op.v === "in") {
      if (next().t !== "lparen") throw badRequest("Invalid filter clause: '(' expected after 'in'.");
      const values: Literal[] = [literal()];
      while (peek()?.t === "comma") {
        next();
        values.push(literal());
        if (values.length > FILTER_LIMITS.maxInValues)
          throw unsupportedQuery(`'in' accepts at most ${FILTER_LIMITS.maxInValues} values.`);
      }
      if (next().t !== "rparen") throw badRequest("Invalid filter clause: ')' expected to close 'in'.");
      return { type: "in", field, values };
    }
    if (op.t !== "ident" || !COMPARE.has(op.v)) {
      if (op.t === "ident" && UNSUPPORTED_WORDS.has(op.v.toLowerCase()))
        throw unsupportedQuery(`Unsupported filter operator '${op.v}'.`);
      throw badRequest(`Invalid filter clause: an operator (eq, ne, in, ...) was expected after '${field}'.`);
    }
    return { type: "compare", field, op: op.v as CompareOp, value: literal() };
  }

  function and(): FilterNode {
    let left = unary();
    while (isWord(peek(), "and")) {
      next();
      left = { type: "and", left, right: unary() };
    }
    return left;
  }

  function expr(): FilterNode {
    let left = and();
    while (isWord(peek(), "or")) {
      next();
      left = { type: "or", left, right: and() };
    }
    return left;
  }

  const tree = expr();
  const rest = peek();
  if (rest) throw badRequest(`Invalid filter clause: unexpected '${rest.v}' at position ${rest.pos}.`);
  return tree;
}
