import { handleTokenRequest } from "@/lib/api/oauth";

export const dynamic = "force-dynamic";

export const POST = (req: Request) => handleTokenRequest(req);
