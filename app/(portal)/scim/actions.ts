"use server";

import { defineAction } from "@/lib/actions/define-action";
import { createScimToken } from "@/lib/pim/use-cases/create-scim-token";
import { revokeScimToken } from "@/lib/pim/use-cases/revoke-scim-token";
import { createScimTokenInput, revokeScimTokenInput } from "@/lib/validation/provisioning";

/** Connects an identity provider: a provisioning application and its bearer token, shown once. */
export const createScimTokenAction = defineAction({
  input: createScimTokenInput,
  run: createScimToken,
  revalidate: ["/scim"],
  data: (t) => ({ token: t.token, name: t.name, expiresAt: t.expiresAt?.toISOString() ?? null }),
});

export const revokeScimTokenAction = defineAction({
  input: revokeScimTokenInput,
  run: revokeScimToken,
  revalidate: ["/scim"],
  data: (r) => ({ tokenId: r.id }),
});
