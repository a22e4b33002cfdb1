"use server";

import { defineAction } from "@/lib/actions/define-action";
import { createApiToken } from "@/lib/pim/use-cases/create-api-token";
import { revokeApiToken } from "@/lib/pim/use-cases/revoke-api-token";
import { createApiTokenInput, revokeApiTokenInput } from "@/lib/validation/api-tokens";

/** Creates a personal token; the plain token is returned once and never stored. It carries this session's MFA time. */
export const createApiTokenAction = defineAction({
  input: createApiTokenInput,
  run: createApiToken,
  revalidate: ["/tokens"],
  data: (t) => ({ token: t.token, name: t.name, expiresAt: t.expiresAt.toISOString(), mfa: t.mfaAt !== null }),
});

export const revokeApiTokenAction = defineAction({
  input: revokeApiTokenInput,
  run: revokeApiToken,
  revalidate: ["/tokens"],
  data: (r) => ({ tokenId: r.tokenId }),
});
