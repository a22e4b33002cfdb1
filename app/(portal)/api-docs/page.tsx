import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { openApiDocument } from "@/lib/api/openapi";

export const metadata: Metadata = { title: "API" };
export const dynamic = "force-dynamic";

type Op = { summary?: string; "x-permissions"?: string[]; requestBody?: unknown };

/** Renders /graph/openapi.json: every endpoint with its permissions, and the request body schemas. */
export default async function ApiDocsPage() {
  await requireUser();
  const tenantName = await getTenantName(await getCtx());
  const doc = openApiDocument() as {
    info: { title: string; description: string };
    paths: Record<string, Record<string, Op>>;
  };
  const entries = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  return (
    <div className="space-y-4">
      <div>
        <PageHeader title={`${tenantName} | API`} subtitle={doc.info.title} />
        <p className="text-sm text-[#605e5c]">{doc.info.description}</p>
        <p className="text-sm">
          Machine-readable:{" "}
          <a className="text-[#0078d4] underline" href="/graph/openapi.json">
            /graph/openapi.json
          </a>{" "}
          (OpenAPI 3.1). Tokens:{" "}
          <a className="text-[#0078d4] underline" href="/tokens">
            API tokens
          </a>
          , or <code className="font-mono text-xs">POST /oauth2/v2.0/token</code> (client credentials) for service
          principals.
        </p>
      </div>
      <table className="w-full table-fixed border-collapse text-left text-sm">
        <caption className="sr-only">Endpoints of the API</caption>
        <colgroup>
          <col className="w-20" />
          <col className="w-[34%]" />
          <col />
          <col className="w-[28%]" />
        </colgroup>
        <thead className="border-b border-[#edebe9] text-[#605e5c]">
          <tr>
            <th scope="col" className="py-2 pr-3">
              Method
            </th>
            <th scope="col" className="py-2 pr-3">
              Path
            </th>
            <th scope="col" className="py-2 pr-3">
              What it does
            </th>
            <th scope="col" className="py-2">
              Permissions (any one)
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map(({ path, method, op }) => (
            <tr key={`${method} ${path}`} className="border-b border-[#edebe9] align-top">
              <td className="py-2 pr-3 font-mono text-xs font-semibold">{method}</td>
              <td className="py-2 pr-3 font-mono text-xs [overflow-wrap:anywhere]">{path}</td>
              <td className="py-2 pr-3">
                {op.summary}
                {op.requestBody ? (
                  <details className="mt-1">
                    <summary className="cursor-pointer text-[#0078d4]">Request body schema</summary>
                    <pre className="mt-1 max-h-80 overflow-auto rounded bg-[#faf9f8] p-2 text-xs">
                      {JSON.stringify(op.requestBody, null, 2)}
                    </pre>
                  </details>
                ) : null}
              </td>
              <td className="py-2 font-mono text-xs [overflow-wrap:anywhere]">
                {(op["x-permissions"] ?? []).map((p) => (
                  <div key={p}>{p}</div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
