import { handleGraph } from "@/lib/api/graph/router";

// Graph beta: the same route table as v1.0 (beta-documented approval endpoints included).
export const dynamic = "force-dynamic";

export const GET = (req: Request) => handleGraph(req);
export const POST = (req: Request) => handleGraph(req);
export const PATCH = (req: Request) => handleGraph(req);
export const PUT = (req: Request) => handleGraph(req);
export const DELETE = (req: Request) => handleGraph(req);
