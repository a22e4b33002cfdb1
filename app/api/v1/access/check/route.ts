import { handleAccessCheck } from "@/lib/api/access-check";

export const dynamic = "force-dynamic";

export const GET = (req: Request) => handleAccessCheck(req);
