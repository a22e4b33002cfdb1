import { instanceDiscovery } from "@/lib/api/oauth-tenant";

// Instance discovery for this host (/common/discovery/instance?api-version=1.1&authorization_endpoint=…).
export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  if (tenant.toLowerCase() !== "common" && tenant.toLowerCase() !== "organizations")
    return Response.json(
      { error: "invalid_request", error_description: "Use /common/discovery/instance." },
      { status: 404 },
    );
  return instanceDiscovery(req);
}
