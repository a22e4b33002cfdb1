import { authorizeForTenant } from "@/lib/api/oauth-tenant";

// Named by the discovery document; only the client credentials grant is offered.
export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ tenant: string }> }) {
  return authorizeForTenant(req, (await params).tenant);
}
