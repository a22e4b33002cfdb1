import { handleGraph } from "@/lib/api/graph/router";

// Microsoft Graph-compatible API: one catch-all so segments like filterByCurrentUser(on='principal') route reliably.
export const dynamic = "force-dynamic";

export const GET = (req: Request) => handleGraph(req);
export const POST = (req: Request) => handleGraph(req);
export const PATCH = (req: Request) => handleGraph(req);
export const PUT = (req: Request) => handleGraph(req);
export const DELETE = (req: Request) => handleGraph(req);
