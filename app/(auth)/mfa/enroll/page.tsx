import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/chrome/auth-card";
import { beginEnrolment, getMfaStatus } from "@/lib/auth/mfa";
import { safeReturnTo } from "@/lib/auth/return-to";
import { getSessionUser } from "@/lib/auth/session";
import { getCtx } from "@/lib/server-db";
import { signOutAction } from "../../actions";
import { CodeForm } from "../code-form";

export const metadata: Metadata = { title: "Set up your authenticator app" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** First sign-in (or after an admin reset): scan the QR code, then confirm with a first code. */
export default async function EnrollPage({ searchParams }: Props) {
  const sp = await searchParams;
  const returnTo = safeReturnTo(typeof sp.returnTo === "string" ? sp.returnTo : null);
  const q = returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : "";
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in${q}`);
  const ctx = { ...(await getCtx()), totpNow: () => new Date() };
  const status = await getMfaStatus(ctx, user.id);
  if (status.enrolled) redirect(user.mfaAt ? (returnTo ?? "/overview") : `/mfa${q}`);
  const e = await beginEnrolment(ctx, user.id);
  const grouped = e.secret.match(/.{1,4}/g)?.join(" ") ?? e.secret;

  return (
    <AuthCard title="Set up your authenticator app">
      <p className="break-all text-[15px] text-neutral-800" data-testid="mfa-account">
        {user.userPrincipalName}
      </p>
      <ol className="mt-3 list-decimal space-y-3 pl-5 text-[14px] text-neutral-800">
        <li>
          Open an authenticator app (Microsoft Authenticator, Google Authenticator, 1Password, …) and add an account.
        </li>
        <li>
          Scan this QR code:
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL generated per user */}
          <img
            src={e.qrDataUrl}
            width={180}
            height={180}
            alt="QR code for your authenticator app. If you cannot scan it, enter the secret key shown below."
            className="mt-2 border border-neutral-200"
          />
        </li>
        <li>
          Can&apos;t scan? Enter this secret key (time-based, 6 digits, 30 seconds):
          <code
            id="mfa-secret"
            data-testid="mfa-secret"
            data-secret={e.secret}
            className="mt-1 block break-all bg-neutral-100 px-2 py-1.5 font-mono text-[14px] tracking-wider select-all"
          >
            {grouped}
          </code>
        </li>
        <li id="enroll-help">Enter the 6-digit code the app shows to finish.</li>
      </ol>
      <div className="mt-4">
        <CodeForm
          mode="enroll"
          returnTo={returnTo}
          lockedUntil={status.lockedUntil?.toISOString() ?? null}
          submitLabel="Verify"
          describedBy="enroll-help"
        />
      </div>
      <form action={signOutAction} className="mt-6 text-[13px]">
        <button type="submit" className="text-[#0067b8] hover:underline">
          Use a different account
        </button>
      </form>
    </AuthCard>
  );
}
