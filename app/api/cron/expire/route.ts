import { handleCron } from "@/lib/notify/cron-handler";
import { getCtx } from "@/lib/server-db";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Vercel Cron calls GET with "Authorization: Bearer $CRON_SECRET"; crontab/curl may use either. */
export function GET(req: Request) {
  return handleCron(req, getCtx);
}

export function POST(req: Request) {
  return handleCron(req, getCtx);
}
