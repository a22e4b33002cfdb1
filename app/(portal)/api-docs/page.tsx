import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import { openApiDocument } from "@/lib/api/openapi";

export const metadata: Metadata = { title: "API | PIM Portal" };
export const dynamic = "force-dynamic";

type Op = { summary?: string; "x-permissions"?: string[]; requestBody?: unknown };

/** Renders /graph/openapi.json: every endpoint with its permissions, and the request body schemas. */
export default async function ApiDocsPage() {
  await requireUser();
  const doc = openApiDocument() as { info: { title: string; description: string }; paths: Record<string, Record<string, Op>> };
  const entries = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold text-[#323130]">API</h1>
        <p className="text-sm text-[#605e5c]">{doc.info.description}</p>
        <p className="text-sm">
          Machine-readable: <a className="text-[#0078d4] underline" href="/graph/openapi.json">/graph/openapi.json</a> (OpenAPI 3.1). Tokens:{" "}
          <a className="text-[#0078d4] underline" href="/tokens">API tokens</a>, or <code className="font-mono text-xs">POST /oauth2/v2.0/token</code> (client credentials) for service principals.
        </p>
      </div>
      <table className="w-full text-left text-sm">
        <thead className="border-b border-[#edebe9] text-[#605e5c]"><tr><th className="py-2">Method</th><th>Path</th><th>What it does</th><th>Permissions (any one)</th></tr></thead>
        <tbody>
          {entries.map(({ path, method, op }) => (
            <tr key={`${method} ${path}`} className="border-b border-[#edebe9] align-top">
              <td className="py-2 font-mono text-xs font-semibold">{method}</td>
              <td className="font-mono text-xs break-all">{path}</td>
              <td>
                {op.summary}
                {op.requestBody ? (
                  <details className="mt-1">
                    <summary className="cursor-pointer text-[#0078d4]">Request body schema</summary>
                    <pre className="mt-1 max-h-80 overflow-auto rounded bg-[#faf9f8] p-2 text-xs">{JSON.stringify(op.requestBody, null, 2)}</pre>
                  </details>
                ) : null}
              </td>
              <td className="font-mono text-xs">{(op["x-permissions"] ?? []).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
