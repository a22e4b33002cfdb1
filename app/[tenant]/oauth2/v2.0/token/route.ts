import { tokenForTenant } from "@/lib/api/oauth-tenant";

// Tenant-qualified token endpoint (MSAL / @azure/identity authority = https://<portal>/<tenant>).
export const dynamic = "force-dynamic";

export async function POST(req: Request, { params }: { params: Promise<{ tenant: string }> }) {
  return tokenForTenant(req, (await params).tenant);
}
