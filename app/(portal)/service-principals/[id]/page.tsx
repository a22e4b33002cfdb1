import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { NotAllowed } from "@/components/chrome/not-allowed";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { SCOPE_DESCRIPTIONS } from "@/lib/api/scopes";
import { listAppPermissions } from "@/lib/api/service-principals/app-permissions";
import { assertServicePrincipalViewer, getServicePrincipal } from "@/lib/api/service-principals/queries";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import { accessPathFor } from "@/lib/pim/queries/access-path";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { AppPermissions } from "./app-permissions";
import { ClientSecrets } from "./client-secrets";

export const metadata: Metadata = { title: "Service principal" };
export const dynamic = "force-dynamic";

/** One service principal: its ids, the roles it holds now, its API permissions and "Certificates & secrets". */
export default async function ServicePrincipalPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ created?: string }>;
}) {
  const user = await requireUser();
  const { id } = await params;
  const { created } = await searchParams;
  if (!z.uuid().safeParse(id).success) notFound();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const [rights, tenantName] = await Promise.all([
    assertServicePrincipalViewer(ctx, actor).catch((err: unknown) => {
      if (isPimError(err) && err.code === "Forbidden") return null;
      throw err;
    }),
    getTenantName(ctx),
  ]);
  if (!rights)
    return (
      <NotAllowed
        title={`${tenantName} | Service principals`}
        what="the service principals (app registrations)"
        path={await accessPathFor(ctx, actor, "reader")}
        readersNote="Readers view them; Privileged Role Administrators and Global Administrators register them and manage their secrets."
      />
    );
  const admin = rights.admin;
  const [sp, granted] = await Promise.all([getServicePrincipal(ctx, id), listAppPermissions(ctx, id)]);
  if (!sp) notFound();
  const now = ctx.now();
  return (
    <div>
      <PageHeader title={`${tenantName} | ${sp.displayName}`} subtitle="Service principal | Certificates & secrets" />
      <p className="mb-2 text-sm">
        <Link className="text-[#0078d4] underline" href="/service-principals">
          All service principals
        </Link>
      </p>
      {created === "1" ? (
        <Notice tone="success">Registered {sp.displayName}. Add a client secret so it can get tokens.</Notice>
      ) : null}
      <dl className="mb-4 grid max-w-3xl grid-cols-[12rem_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-neutral-700">Application (client) ID</dt>
        <dd className="font-mono text-xs" data-testid="app-id">
          {sp.appId}
        </dd>
        <dt className="text-neutral-700">Object ID</dt>
        <dd className="font-mono text-xs" data-testid="object-id">
          {sp.id}
        </dd>
        <dt className="text-neutral-700">Description</dt>
        <dd>{sp.description ?? "—"}</dd>
        <dt className="text-neutral-700">Roles held now</dt>
        <dd>{sp.roles.length === 0 ? "None" : sp.roles.join(", ")}</dd>
        <dt className="text-neutral-700">Status</dt>
        <dd>{sp.accountEnabled ? <Badge tone="success">Enabled</Badge> : <Badge tone="danger">Disabled</Badge>}</dd>
        <dt className="text-neutral-700">Created</dt>
        <dd>
          <LocalTime value={sp.createdAt} />
        </dd>
      </dl>
      <AppPermissions
        servicePrincipalId={sp.id}
        canManage={admin}
        descriptions={SCOPE_DESCRIPTIONS}
        granted={granted.map((g) => ({
          permission: g.permission,
          grantedAt: g.grantedAt.toISOString(),
          grantedBy: g.grantedBy,
        }))}
      />
      <ClientSecrets
        servicePrincipalId={sp.id}
        appId={sp.appId}
        canManage={admin}
        descriptions={SCOPE_DESCRIPTIONS}
        secrets={sp.secrets.map((s) => ({
          id: s.id,
          displayName: s.displayName,
          hint: s.hint,
          scopes: s.scopes,
          created: s.createdAt.toISOString(),
          expires: s.expiresAt.toISOString(),
          status: s.revokedAt ? "Revoked" : s.expiresAt <= now ? "Expired" : "Active",
        }))}
      />
    </div>
  );
}
