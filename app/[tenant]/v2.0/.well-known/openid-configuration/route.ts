import { discoveryForTenant } from "@/lib/api/oauth-tenant";

// OpenID discovery for the tenant-qualified authority.
export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ tenant: string }> }) {
  return discoveryForTenant(req, (await params).tenant);
}
