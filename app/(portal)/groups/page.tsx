import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { NotAllowed } from "@/components/chrome/not-allowed";
import { LocalTime } from "@/components/ui/local-time";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { queryString } from "@/components/ui/keyset";
import { TableFooter } from "@/components/ui/table-footer";
import { actorFromUser, requireUser } from "@/lib/auth/session";
import { isPimError } from "@/lib/pim/errors";
import { accessPathFor } from "@/lib/pim/queries/access-path";
import {
  GROUP_COUNT_CAP,
  GROUPS_PAGE_SIZE,
  listGroupsNotUnderPim,
  listGroupsUnderPim,
} from "@/lib/pim/queries/groups-under-pim";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { GroupsSearch } from "./groups-search";
import { ManageGroupsPanel } from "./manage-groups-panel";

export const metadata: Metadata = { title: "Groups" };
export const dynamic = "force-dynamic";

const link = "font-semibold text-[#0078d4] hover:underline focus-visible:outline-2 focus-visible:outline-[#0078d4]";
const shown = (n: number) => (n > GROUP_COUNT_CAP ? `${GROUP_COUNT_CAP.toLocaleString("en-US")}+` : String(n));

/**
 * PIM for Groups: the groups under PIM, each with its member and owner assignments (the role Assignments blade
 * of the group's access definition: Eligible | Active | Expired, + Add assignments, Update, Remove, Extend,
 * Renew, Export) and settings. Readers view; GA/PRA bring groups under PIM and manage them; a group's owner sees
 * their groups, manages their memberships and member settings, and brings a group they own that is not
 * role-assignable under PIM (the actions check on their own). Keyset pages of 50, with a name search.
 */
export default async function GroupsPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string; cursor?: string; from?: string }>;
}) {
  const user = await requireUser();
  const ctx = await getCtx();
  const actor = actorFromUser(user);
  const sp = await searchParams;
  const q = (sp.q ?? "").trim().slice(0, 200);
  const from = Math.max(1, Number.parseInt(sp.from ?? "1", 10) || 1);
  const [list, tenantName] = await Promise.all([
    listGroupsUnderPim(ctx, actor, { search: q, cursor: sp.cursor ?? null }).catch((err: unknown) => {
      if (isPimError(err) && err.code === "Forbidden") return null;
      throw err;
    }),
    getTenantName(ctx),
  ]);
  const title = `${tenantName} | Groups`;
  if (!list)
    return (
      <NotAllowed
        title={title}
        what="the groups under PIM"
        path={await accessPathFor(ctx, actor, "reader")}
        readersNote="Readers view them; Privileged Role Administrators and Global Administrators bring groups under PIM and assign membership and ownership; a group's owners manage its membership."
      />
    );
  // Scoped by the read model: every group for GA/PRA, else the actor's own groups that are not role-assignable.
  const candidates = await listGroupsNotUnderPim(ctx, actor, { limit: 200 });
  const href = (cursor: string, start: number) => `/groups${queryString({ q, cursor, from: start })}`;
  return (
    <div>
      <PageHeader title={title} subtitle="Privileged Identity Management | Groups" />
      <p className="mb-3 max-w-3xl text-sm text-neutral-700">
        Membership and ownership of these groups are given just in time: eligible people activate them in{" "}
        <Link className="text-[#0078d4] underline" href="/my-roles?view=groups">
          My roles → Groups
        </Link>
        . A member whose membership is active holds the group&apos;s roles, only while the membership lasts.
      </p>
      {list.viewer.admin || candidates.length > 0 ? <ManageGroupsPanel candidates={candidates} /> : null}
      {list.viewer.admin ? null : list.viewer.owner ? (
        <Notice>
          As an owner you manage the membership of your groups and their member settings. Ownership, and groups you do
          not own, need an active <strong>Global Administrator</strong> or{" "}
          <strong>Privileged Role Administrator</strong> role.
        </Notice>
      ) : (
        <Notice>
          You can view the groups under PIM. Managing them needs an active <strong>Global Administrator</strong> or{" "}
          <strong>Privileged Role Administrator</strong> role.
        </Notice>
      )}
      <GroupsSearch q={q} />
      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">Groups under PIM</caption>
          <thead className="border-b border-neutral-300 text-neutral-700">
            <tr>
              <th scope="col" className="py-2 pr-3 font-semibold">
                Group
              </th>
              <th scope="col" className="pr-3 font-semibold">
                Roles held now
              </th>
              <th scope="col" className="pr-3 font-semibold">
                Eligible
              </th>
              <th scope="col" className="pr-3 font-semibold">
                Active now
              </th>
              <th scope="col" className="pr-3 font-semibold">
                Under PIM since
              </th>
              <th scope="col" className="font-semibold">
                Assignments and settings
              </th>
            </tr>
          </thead>
          <tbody>
            {list.groups.map((g) => (
              <tr
                key={g.groupId}
                className="border-b border-neutral-200 align-top"
                data-testid={`group-${g.displayName}`}
              >
                <td className="py-2 pr-3">
                  <span className="font-semibold">{g.displayName}</span>
                  <span className="block text-xs text-neutral-700">
                    {g.isAssignableToRole ? "Role-assignable" : "Not role-assignable"}
                  </span>
                </td>
                <td className="py-2 pr-3">{g.rolesHeld.length === 0 ? "None" : g.rolesHeld.join(", ")}</td>
                <td className="py-2 pr-3">{shown(g.eligibleCount)}</td>
                <td className="py-2 pr-3">{shown(g.activeCount)}</td>
                <td className="py-2 pr-3 whitespace-nowrap">
                  <LocalTime value={g.managedSince.toISOString()} />
                </td>
                <td className="py-2">
                  <ul className="space-y-1">
                    <li>
                      <Link className={link} href={`/roles/${g.memberDefinitionId}/assignments`}>
                        Member assignments<span className="sr-only"> of {g.displayName}</span>
                      </Link>{" "}
                      ·{" "}
                      <Link className={link} href={`/roles/${g.memberDefinitionId}/settings`}>
                        Member settings<span className="sr-only"> of {g.displayName}</span>
                      </Link>
                      {g.canManageMembers && !list.viewer.admin ? (
                        <span className="ml-1 text-xs text-neutral-700">(you own this group)</span>
                      ) : null}
                    </li>
                    {g.canSeeOwners ? (
                      <li>
                        <Link className={link} href={`/roles/${g.ownerDefinitionId}/assignments`}>
                          Owner assignments<span className="sr-only"> of {g.displayName}</span>
                        </Link>{" "}
                        ·{" "}
                        <Link className={link} href={`/roles/${g.ownerDefinitionId}/settings`}>
                          Owner settings<span className="sr-only"> of {g.displayName}</span>
                        </Link>
                      </li>
                    ) : null}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.groups.length === 0 ? (
          <p className="mt-3 text-sm text-neutral-700">
            {q ? `No group under PIM starts with “${q}”.` : "No group is under PIM yet."}
          </p>
        ) : (
          <TableFooter
            from={from}
            count={list.groups.length}
            total={list.total}
            prevHref={list.prevCursor ? href(list.prevCursor, Math.max(1, from - GROUPS_PAGE_SIZE)) : null}
            nextHref={list.nextCursor ? href(list.nextCursor, from + list.groups.length) : null}
          />
        )}
      </div>
    </div>
  );
}
