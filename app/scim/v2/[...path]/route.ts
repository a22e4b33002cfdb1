import { handleScim } from "@/lib/api/scim/router";

// SCIM 2.0 service provider (RFC 7644): identity providers provision users and groups here.
export const dynamic = "force-dynamic";

export const GET = (req: Request) => handleScim(req);
export const POST = (req: Request) => handleScim(req);
export const PUT = (req: Request) => handleScim(req);
export const PATCH = (req: Request) => handleScim(req);
export const DELETE = (req: Request) => handleScim(req);
