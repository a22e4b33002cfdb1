import { keysForTenant } from "@/lib/api/oauth-tenant";

// The JWKS named by discovery: empty, the access tokens are opaque.
export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ tenant: string }> }) {
  return keysForTenant(req, (await params).tenant);
}
