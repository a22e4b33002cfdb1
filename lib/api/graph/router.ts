/**
 * Dispatches `/graph/v1.0/...` and `/graph/beta/...` (the same table: beta aliases every v1.0 path, and the
 * approval endpoints Microsoft documents under beta live in it) to the route table. A trailing slash is
 * ignored. `…/$count` after a collection answers its count as text/plain; `$metadata` and `$batch` are
 * served by their own modules. Path segments are decoded here (so
 * `filterByCurrentUser(on=%27principal%27)` and `filterByCurrentUser(on='principal')` both match); an unknown
 * segment is Graph's 400 "Resource not found for the segment", a known path with another method is 405.
 */
import { badRequest, GraphError } from "../errors";
import { json, runApi } from "../handler";
import { handleBatch } from "./batch";
import { metadataResponse } from "./metadata";
import { ROUTES, type Method, type RouteDef } from "./routes";

export const GRAPH_PREFIX = "/graph/v1.0";
const SERVICE_ROOT = /^(.*?)\/graph\/(v1\.0|beta)(?=\/|$)/i;

type Compiled = { def: RouteDef; parts: ({ lit: string } | { param: string } | { fbcu: string })[] };
const compiled: Compiled[] = ROUTES.map((def) => ({
  def,
  parts: def.path
    .split("/")
    .filter(Boolean)
    .map((s) => {
      const fb = /^filterByCurrentUser\(on='\{(\w+)\}'\)$/.exec(s);
      if (fb?.[1]) return { fbcu: fb[1] };
      const m = /^\{(\w+)\}$/.exec(s);
      return m?.[1] ? { param: m[1] } : { lit: s };
    }),
}));

const FBCU = /^filterByCurrentUser\(on='(principal|createdBy|approver|reviewer)'\)$/;

function match(segments: string[]): { route: Compiled; params: Record<string, string> }[] {
  const out: { route: Compiled; params: Record<string, string> }[] = [];
  for (const c of compiled) {
    if (c.parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const part = c.parts[i];
      const seg = segments[i] as string;
      if (!part) ok = false;
      else if ("lit" in part) ok = part.lit.toLowerCase() === seg.toLowerCase();
      else if ("fbcu" in part) {
        const m = FBCU.exec(seg);
        if (m?.[1]) params[part.fbcu] = m[1];
        else ok = false;
      } else {
        // a plain {id} never swallows a function-call segment
        if (seg.startsWith("filterByCurrentUser")) ok = false;
        else params[part.param] = seg;
      }
    }
    if (ok) out.push({ route: c, params });
  }
  return out;
}

function segmentsOf(url: URL): string[] {
  const m = SERVICE_ROOT.exec(url.pathname);
  const rest = m ? url.pathname.slice(m[0].length) : url.pathname;
  return rest
    .split("/")
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw badRequest(`The path segment '${s}' is not valid.`);
      }
    });
}

export async function handleGraph(req: Request): Promise<Response> {
  const url = new URL(req.url);
  let segments: string[];
  try {
    segments = segmentsOf(url);
  } catch (e) {
    return runApi(req, null, async () => {
      throw e;
    });
  }
  const special = segments.length === 1 ? segments[0]?.toLowerCase() : undefined;
  if (special === "$metadata" && req.method === "GET") return metadataResponse();
  if (special === "$batch" && req.method === "POST") return handleBatch(req, handleGraph);
  if (segments.length > 1 && segments[segments.length - 1] === "$count" && req.method === "GET") {
    const inner = match(segments.slice(0, -1)).find((f) => f.route.def.method === "GET" && f.route.def.collection);
    if (inner) return countSegment(req, inner.route.def, inner.params);
  }
  const found = match(segments);
  const hit = found.find((f) => f.route.def.method === req.method);
  if (!hit) {
    if (found.length > 0) {
      return runApi(req, null, async () => {
        throw new GraphError(
          405,
          "Request_BadRequest",
          `The HTTP method '${req.method}' is not allowed on this resource.`,
          { headers: { Allow: [...new Set(found.map((f) => f.route.def.method))].join(", ") } },
        );
      });
    }
    if (segments.some((s) => s.startsWith("filterByCurrentUser"))) {
      return runApi(req, null, async () => {
        throw badRequest("filterByCurrentUser takes on='principal', 'createdBy', 'approver' or 'reviewer'.");
      });
    }
    const bad =
      segments.find(
        (s, i) =>
          !compiled.some(
            (c) =>
              c.parts[i] &&
              ("lit" in (c.parts[i] as object)
                ? (c.parts[i] as { lit: string }).lit.toLowerCase() === s.toLowerCase()
                : true),
          ),
      ) ??
      segments[segments.length - 1] ??
      "";
    return runApi(req, null, async () => {
      throw badRequest(`Resource not found for the segment '${bad}'.`);
    });
  }
  const def = hit.route.def;
  return runApi(req, def.need, async (c) => {
    const out = await def.handler(c, hit.params);
    return out instanceof Response ? out : json(out, def.status ?? 200);
  });
}

/** `GET …/{collection}/$count`: the collection's `$count=true` answer, as Graph's text/plain number. */
function countSegment(req: Request, def: RouteDef, params: Record<string, string>): Promise<Response> {
  const url = new URL(req.url);
  url.pathname = url.pathname.replace(/\/\$count\/?$/, "");
  for (const k of ["$top", "$skiptoken", "$select", "$expand", "$orderby", "$count"]) {
    if (url.searchParams.has(k)) {
      return runApi(req, null, async () => {
        throw badRequest(`The query option '${k}' is not allowed with the /$count segment.`);
      });
    }
  }
  url.searchParams.set("$count", "true");
  url.searchParams.set("$top", "1");
  const inner = new Request(url, { method: "GET", headers: req.headers });
  return runApi(inner, def.need, async (c) => {
    const out = (await def.handler(c, params)) as { "@odata.count"?: number };
    if (typeof out?.["@odata.count"] !== "number") throw badRequest("$count is not supported on this collection.");
    return new Response(String(out["@odata.count"]), {
      status: 200,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  });
}

export const methods = ["GET", "POST", "PATCH", "DELETE"] as Method[];
