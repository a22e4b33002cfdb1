import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard, secondaryButtonClass } from "@/components/chrome/auth-card";
import { oidcEnabled } from "@/lib/auth/auth";
import { safeReturnTo } from "@/lib/auth/return-to";
import { getSessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { getTenantName } from "@/lib/pim/queries/tenant";
import { getCtx } from "@/lib/server-db";
import { oidcSignInAction } from "../actions";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

/** Auth.js sends OIDC failures here as ?error=… */
const errorMessages: Record<string, string> = {
  AccessDenied:
    "Your organisation's account is not known to this portal, or it is disabled. Ask an administrator to add you.",
  OAuthCallbackError: "Sign-in with your organisation did not complete. Try again.",
  OAuthSignInError: "Sign-in with your organisation could not start. Try again later.",
  Configuration: "Sign-in is not configured correctly. Tell your administrator.",
  CallbackRouteError: "Sign-in with your organisation did not complete. Try again.",
};

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: Props) {
  const sp = await searchParams;
  const one = (k: string) => (typeof sp[k] === "string" ? (sp[k] as string) : undefined);
  const returnTo = safeReturnTo(one("returnTo") ?? one("callbackUrl"));
  const user = await getSessionUser();
  if (user?.mfaAt) redirect(returnTo ?? "/overview");
  const error = one("error");
  const initialMessage = error ? (errorMessages[error] ?? "Sign-in did not complete. Try again.") : undefined;
  const notice =
    !error && one("signedOut")
      ? "You have signed out. Close the browser window if you are on a shared computer."
      : undefined;
  const tenant = await getTenantName(await getCtx());

  return (
    <AuthCard title="Sign in" footer={<p>Privileged Identity Management for {tenant}.</p>}>
      {notice ? (
        <p role="status" className="mb-2 text-[15px] text-neutral-700">
          {notice}
        </p>
      ) : null}
      <SignInForm returnTo={returnTo} initialMessage={initialMessage} />
      {oidcEnabled() ? (
        <form action={oidcSignInAction} className="mt-6 border-t border-neutral-200 pt-5">
          <input type="hidden" name="returnTo" value={returnTo ?? ""} />
          <button type="submit" className={`${secondaryButtonClass} w-full`}>
            Sign in with {env().OIDC_NAME}
          </button>
        </form>
      ) : null}
    </AuthCard>
  );
}
