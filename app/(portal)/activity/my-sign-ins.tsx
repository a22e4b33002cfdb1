import Link from "@/components/ui/link";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import type { Actor, Ctx } from "@/lib/pim/context";
import { listSignIns } from "@/lib/pim/queries/sign-in-log";
import { KIND_LABEL, RESULT_LABEL } from "../sign-in-logs/filters";

const tone = { success: "success", failure: "danger", locked: "warning" } as const;

/** My audit's "Your recent sign-ins": the person's own last sign-ins, failures and MFA answers. */
export async function MySignIns({ ctx, actor }: { ctx: Ctx; actor: Actor }) {
  const { rows } = await listSignIns(ctx, actor, { mine: true }, { limit: 5 });
  return (
    <section aria-labelledby="my-sign-ins" className="mt-6">
      <h2 id="my-sign-ins" className="mb-2 text-base font-semibold text-neutral-900">
        Your recent sign-ins
      </h2>
      {rows.length === 0 ? (
        <p className="text-sm text-neutral-700">No sign-ins recorded yet.</p>
      ) : (
        <ul className="divide-y divide-neutral-200 text-sm">
          {rows.map((r) => (
            <li key={r.id} className="flex flex-wrap items-center gap-3 py-1.5">
              <LocalTime value={r.at.toISOString()} />
              <span>{KIND_LABEL[r.kind]}</span>
              <Badge tone={tone[r.result]}>{RESULT_LABEL[r.result]}</Badge>
              {r.reason && <span className="text-neutral-700">{r.reason}</span>}
              <span className="font-mono text-xs text-neutral-700">{r.clientIp ?? "unknown address"}</span>
            </li>
          ))}
        </ul>
      )}
      <Link href="/sign-in-logs?view=mine" className="mt-2 inline-block text-sm text-[#0078d4] hover:underline">
        All your sign-ins
      </Link>
    </section>
  );
}
