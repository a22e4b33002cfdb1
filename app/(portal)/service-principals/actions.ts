"use server";

import { defineAction } from "@/lib/actions/define-action";
import { createServicePrincipal } from "@/lib/pim/use-cases/create-service-principal";
import { createServicePrincipalSecret } from "@/lib/pim/use-cases/create-service-principal-secret";
import { revokeServicePrincipalSecret } from "@/lib/pim/use-cases/revoke-service-principal-secret";
import { createServicePrincipalSecretInput } from "@/lib/validation/api-tokens";
import { createServicePrincipalInput, revokeServicePrincipalSecretInput } from "@/lib/validation/service-principals";

/** Registers a service principal. The use case checks GA/PRA held now on the database. */
export const createServicePrincipalAction = defineAction({
  input: createServicePrincipalInput,
  run: (ctx, actor, input) =>
    createServicePrincipal(ctx, actor, { displayName: input.displayName, description: input.description ?? undefined }),
  revalidate: ["/service-principals"],
});

/** Adds a client secret; the plain secret is returned once (only its sha256 is stored). GA/PRA held now only. */
export const createClientSecretAction = defineAction({
  input: createServicePrincipalSecretInput,
  run: createServicePrincipalSecret,
  revalidate: (_input, s) => [`/service-principals/${s.servicePrincipalId}`, "/service-principals"],
  data: (s) => ({ secret: s.secret, hint: s.hint, expiresAt: s.expiresAt.toISOString(), scopes: s.scopes }),
});

export const revokeClientSecretAction = defineAction({
  input: revokeServicePrincipalSecretInput,
  run: revokeServicePrincipalSecret,
  revalidate: [{ path: "/service-principals", type: "layout" }],
  data: (r) => ({ secretId: r.secretId }),
});
