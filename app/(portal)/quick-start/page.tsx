import type { Metadata } from "next";
import { ExternalLink } from "lucide-react";
import Link from "@/components/ui/link";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";

export const metadata: Metadata = { title: "Quick start" };
export const dynamic = "force-dynamic";

const link = "text-[#0078d4] underline hover:no-underline focus-visible:outline-2 focus-visible:outline-[#0078d4]";

const steps = [
  {
    title: "Make people eligible, not permanent",
    who: "Privileged Role Administrators",
    text: "On Assignments, use + Add assignments to make someone eligible for a role, for a limited time or for good. Eligible people hold nothing until they activate. Set each role's rules (maximum duration, MFA, justification, approval) under Roles → the role → Settings.",
    href: "/assignments",
    action: "Open Assignments",
  },
  {
    title: "Activate a role when you need it",
    who: "Everyone who is eligible",
    text: "On My roles, choose Activate next to a role, give a reason and pass the MFA check. The role is active at once, or after an approver agrees when the role needs approval, and ends by itself.",
    href: "/my-roles",
    action: "Open My roles",
  },
  {
    title: "Approve, and look back",
    who: "Approvers and auditors",
    text: "Approve requests lists the activations waiting for you; approve or deny with a reason. Activity records every request, decision and change, and can be exported.",
    href: "/approve-requests",
    action: "Open Approve requests",
  },
];

const docs = [
  {
    href: "https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-configure",
    label: "What is Privileged Identity Management? (Microsoft Learn)",
  },
  {
    href: "https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-getting-started",
    label: "Start using Privileged Identity Management (Microsoft Learn)",
  },
  {
    href: "https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-how-to-activate-role",
    label: "Activate a Microsoft Entra role (Microsoft Learn)",
  },
];

/** Quick start, as the blade's first entry: what PIM is, the three first steps, and where to read more. */
export default async function QuickStartPage() {
  await requireUser();
  const tenantName = await getTenantName(await getCtx());
  return (
    <div className="max-w-4xl">
      <PageHeader title={`${tenantName} | Quick start`} />
      <section aria-labelledby="what-heading" className="mb-6 text-sm text-neutral-800">
        <h2 id="what-heading" className="mb-1 text-lg font-semibold text-neutral-900">
          What is Privileged Identity Management?
        </h2>
        <p className="mb-2">
          Nobody should hold administrator rights all the time. With Privileged Identity Management (PIM) people are{" "}
          <strong>eligible</strong> for a role and <strong>activate</strong> it just in time, for a limited time, with a
          reason, an MFA check and, where the role asks for it, an approver&apos;s consent. Access ends by itself, the
          people concerned are notified, and every step is kept in a tamper-evident audit trail.
        </p>
        <p>
          This portal follows Microsoft Entra PIM for Microsoft Entra roles, and scripts written for Microsoft Graph
          work against its{" "}
          <Link href="/api-docs" className={link}>
            API
          </Link>
          .
        </p>
      </section>
      <section aria-labelledby="steps-heading" className="mb-6">
        <h2 id="steps-heading" className="mb-2 text-lg font-semibold text-neutral-900">
          Three first steps
        </h2>
        <ol className="grid gap-3 md:grid-cols-3">
          {steps.map((s, i) => (
            <li key={s.href} className="flex flex-col border border-neutral-200 bg-white p-4 text-sm">
              <span
                aria-hidden
                className="mb-2 flex size-7 items-center justify-center rounded-full bg-[#0078d4] text-white"
              >
                {i + 1}
              </span>
              <h3 className="font-semibold text-neutral-900">{s.title}</h3>
              <p className="mb-2 text-xs text-neutral-700">{s.who}</p>
              <p className="mb-3 flex-1 text-neutral-800">{s.text}</p>
              <Link href={s.href} className={link}>
                {s.action}
              </Link>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="docs-heading" className="text-sm">
        <h2 id="docs-heading" className="mb-2 text-lg font-semibold text-neutral-900">
          Learn more
        </h2>
        <ul className="space-y-1">
          {docs.map((d) => (
            <li key={d.href}>
              <a
                href={d.href}
                target="_blank"
                rel="noopener noreferrer"
                className={`${link} inline-flex items-center gap-1`}
              >
                {d.label}
                <ExternalLink aria-hidden className="size-3.5" />
                <span className="sr-only"> (opens in a new tab)</span>
              </a>
            </li>
          ))}
          <li>
            <Link href="/overview" className={link}>
              Overview of your roles and approvals
            </Link>
          </li>
        </ul>
      </section>
    </div>
  );
}
