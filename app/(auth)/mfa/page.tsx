import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/chrome/auth-card";
import { currentCodeFor, getMfaStatus } from "@/lib/auth/mfa";
import { safeReturnTo } from "@/lib/auth/return-to";
import { getSessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { getCtx } from "@/lib/server-db";
import { signOutAction } from "../actions";
import { CodeForm } from "./code-form";

export const metadata: Metadata = { title: "Enter code" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The TOTP challenge: after the password (MFA owed), and as a step-up for a signed-in person whose
 * action needs a recent MFA check (`/mfa?returnTo=/my-roles?activate=<id>`).
 */
export default async function MfaPage({ searchParams }: Props) {
  const sp = await searchParams;
  const returnTo = safeReturnTo(typeof sp.returnTo === "string" ? sp.returnTo : null);
  const q = returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : "";
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in${q}`);
  const ctx = { ...(await getCtx()), totpNow: () => new Date() };
  const status = await getMfaStatus(ctx, user.id);
  if (!status.enrolled) redirect(`/mfa/enroll${q}`);
  const stepUp = Boolean(user.mfaAt);
  const demoCode = env().PIM_DEMO_MODE ? await currentCodeFor(ctx, user.id) : null;

  return (
    <AuthCard title={stepUp ? "Verify your identity" : "Enter code"}>
      <p className="mb-1 break-all text-[15px] text-neutral-800" data-testid="mfa-account">
        {user.userPrincipalName}
      </p>
      <p id="code-help" className="mb-4 text-[15px] text-neutral-700">
        {stepUp
          ? "This action needs a fresh multi-factor check. Enter the 6-digit code shown in your authenticator app."
          : "Enter the 6-digit code shown in the authenticator app on your mobile device."}
      </p>
      {demoCode ? (
        <p
          className="mb-4 border-l-4 border-[#0078d4] bg-[#eff6fc] px-3 py-2 text-[14px] text-neutral-800"
          data-testid="demo-code"
        >
          Demo: current code for this account is{" "}
          <strong className="font-semibold tracking-wider">
            {demoCode.slice(0, 3)} {demoCode.slice(3)}
          </strong>
        </p>
      ) : null}
      <CodeForm
        mode="verify"
        returnTo={returnTo}
        lockedUntil={status.lockedUntil?.toISOString() ?? null}
        describedBy="code-help"
      />
      <div className="mt-6 text-[13px]">
        {stepUp ? (
          <Link href={returnTo?.split("?")[0] ?? "/overview"} className="text-[#0067b8] hover:underline">
            Cancel
          </Link>
        ) : (
          <form action={signOutAction}>
            <button type="submit" className="text-[#0067b8] hover:underline">
              Use a different account
            </button>
          </form>
        )}
      </div>
    </AuthCard>
  );
}
