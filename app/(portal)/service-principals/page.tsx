import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { NotAllowed } from "@/components/chrome/not-allowed";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { listServicePrincipals, SERVICE_PRINCIPALS_PAGE_SIZE as PAGE } from "@/lib/api/service-principals/queries";
import { queryString } from "@/components/ui/keyset";
import { TableFooter } from "@/components/ui/table-footer";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import { accessPathFor } from "@/lib/pim/queries/access-path";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { NewServicePrincipal } from "./new-service-principal";

export const metadata: Metadata = { title: "Service principals" };
export const dynamic = "force-dynamic";

type Search = { cursor?: string; from?: string };

/**
 * Application identities that call the API with the client-credentials grant (Entra's "App registrations").
 * PIM readers look (the menu shows them the entry), everyone else gets the "not allowed here" page; registering
 * one and managing its secrets needs GA/PRA held now (the actions check on their own).
 */
export default async function ServicePrincipalsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const sp = await searchParams;
  const from = Math.max(1, Number.parseInt(sp.from ?? "1", 10) || 1);
  const [page, tenantName] = await Promise.all([
    listServicePrincipals(ctx, actor, { cursor: sp.cursor ?? null, limit: PAGE }).catch((err: unknown) => {
      if (isPimError(err) && err.code === "Forbidden") return null;
      throw err;
    }),
    getTenantName(ctx),
  ]);
  const title = `${tenantName} | Service principals`;
  if (!page)
    return (
      <NotAllowed
        title={title}
        what="the service principals (app registrations)"
        path={await accessPathFor(ctx, actor, "reader")}
        readersNote="Readers view them; Privileged Role Administrators and Global Administrators register them and manage their secrets."
      />
    );
  const admin = page.viewer.admin;
  const rows = page.rows;
  const href = (cursor: string, start: number) => `/service-principals${queryString({ cursor, from: start })}`;
  return (
    <div>
      <PageHeader title={title} subtitle="App registrations" />
      <p className="mb-3 max-w-3xl text-sm text-neutral-700">
        Applications (scripts, pipelines, ITSM tools) sign in with a client secret at{" "}
        <code className="font-mono text-xs">POST /oauth2/v2.0/token</code> and call the{" "}
        <Link className="text-[#0078d4] underline" href="/api-docs">
          Graph-compatible API
        </Link>{" "}
        as themselves. A secret grants Graph permissions; what the application may change still depends on the roles it
        holds now (assign them on{" "}
        <Link className="text-[#0078d4] underline" href="/assignments">
          Assignments
        </Link>{" "}
        or through the API).
      </p>
      {admin ? (
        <NewServicePrincipal />
      ) : (
        <Notice>
          You can view the service principals. Registering one or managing client secrets needs an active{" "}
          <strong>Global Administrator</strong> or <strong>Privileged Role Administrator</strong> role: activate it in{" "}
          <Link className="text-[#0078d4] underline" href="/my-roles">
            My roles
          </Link>
          .
        </Notice>
      )}
      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">Service principals in the directory</caption>
          <thead className="border-b border-neutral-300 text-neutral-700">
            <tr>
              <th scope="col" className="py-2 pr-3 font-semibold">
                Display name
              </th>
              <th scope="col" className="pr-3 font-semibold">
                Application (client) ID
              </th>
              <th scope="col" className="pr-3 font-semibold">
                Object ID
              </th>
              <th scope="col" className="pr-3 font-semibold">
                Client secrets
              </th>
              <th scope="col" className="pr-3 font-semibold">
                Roles held now
              </th>
              <th scope="col" className="pr-3 font-semibold">
                Created
              </th>
              <th scope="col" className="font-semibold">
                Status
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-b border-neutral-200 align-top" data-testid="sp-row">
                <td className="py-2 pr-3">
                  <Link className="font-semibold text-[#0078d4] hover:underline" href={`/service-principals/${r.id}`}>
                    {r.displayName}
                  </Link>
                  {r.description ? <div className="text-xs text-neutral-700">{r.description}</div> : null}
                </td>
                <td className="py-2 pr-3 font-mono text-xs">{r.appId}</td>
                <td className="py-2 pr-3 font-mono text-xs">{r.id}</td>
                <td className="py-2 pr-3">{r.activeSecrets === 0 ? "None" : `${r.activeSecrets} active`}</td>
                <td className="py-2 pr-3">{r.roles.length === 0 ? "None" : r.roles.join(", ")}</td>
                <td className="py-2 pr-3 whitespace-nowrap">
                  <LocalTime value={r.createdAt} />
                </td>
                <td className="py-2">
                  {r.accountEnabled ? <Badge tone="success">Enabled</Badge> : <Badge tone="danger">Disabled</Badge>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 ? <p className="mt-3 text-sm text-neutral-700">No service principals yet.</p> : null}
      </div>
      {rows.length > 0 ? (
        <TableFooter
          from={from}
          count={rows.length}
          total={page.total}
          prevHref={page.prevCursor ? href(page.prevCursor, Math.max(1, from - PAGE)) : null}
          nextHref={page.nextCursor ? href(page.nextCursor, from + rows.length) : null}
        />
      ) : null}
    </div>
  );
}
