import { and, count, desc, eq, isNull, lt, or } from "drizzle-orm";
import { z } from "zod";
import { notifications } from "@/db/schema";
import type { Db } from "@/db/types";
import type { Actor, Ctx } from "../context";
import { markNotificationsRead } from "../use-cases/mark-notifications-read";
import { assertPimAdmin } from "../authz";
import { noticeText } from "./notice-body";

/** A person's notices (bell + Notifications page): every read and write is limited to their own rows. */
export type InboxItem = {
  id: string;
  createdAt: Date;
  eventType: string;
  subject: string;
  bodyText: string;
  link: string | null;
  readAt: Date | null;
  emailStatus: "pending" | "sending" | "sent" | "failed" | "skipped";
};

type Cursor = { at: Date; id: string };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.at.toISOString()}|${c.id}`).toString("base64url");
}

export function decodeCursor(s: string | null | undefined): Cursor | null {
  if (!s) return null;
  const [iso, id] = Buffer.from(s, "base64url").toString("utf8").split("|");
  const at = new Date(iso ?? "");
  if (!id || Number.isNaN(at.getTime()) || !z.uuid().safeParse(id).success) return null;
  return { at, id };
}

/** Newest first, keyset pagination on (created_at, id): any page answers from the index. */
export async function listMyNotifications(
  db: Db,
  userId: string,
  opts: { cursor?: string | null; limit?: number; unreadOnly?: boolean } = {},
): Promise<{ items: InboxItem[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(opts.limit ?? 25, 1), 100);
  const c = decodeCursor(opts.cursor);
  const rows = await db
    .select({
      id: notifications.id,
      createdAt: notifications.createdAt,
      eventType: notifications.eventType,
      subject: notifications.subject,
      bodyText: noticeText,
      link: notifications.link,
      readAt: notifications.readAt,
      emailStatus: notifications.status,
    })
    .from(notifications)
    .where(
      and(
        eq(notifications.recipientUserId, userId),
        opts.unreadOnly ? isNull(notifications.readAt) : undefined,
        c
          ? or(lt(notifications.createdAt, c.at), and(eq(notifications.createdAt, c.at), lt(notifications.id, c.id)))
          : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null };
}

export async function unreadCount(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.recipientUserId, userId), isNull(notifications.readAt)));
  return Number(row?.n ?? 0);
}

export type DeliveryProblem = {
  id: string;
  createdAt: Date;
  recipientEmail: string | null;
  subject: string;
  attempts: number;
  lastError: string | null;
};

/** Emails that could not be delivered (status failed), newest first. GA/PRA holders only. */
export async function listDeliveryProblems(ctx: Ctx, actor: Actor, limit = 50): Promise<DeliveryProblem[]> {
  await assertPimAdmin(ctx.db, actor, ctx.now(), "see email delivery problems");
  return ctx.db
    .select({
      id: notifications.id,
      createdAt: notifications.createdAt,
      recipientEmail: notifications.recipientEmail,
      subject: notifications.subject,
      attempts: notifications.attempts,
      lastError: notifications.lastError,
    })
    .from(notifications)
    .where(eq(notifications.status, "failed"))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(Math.min(Math.max(limit, 1), 200));
}

/** Opening a notice: marks it read and returns its portal link; null when it is not the actor's. */
export async function openNotification(ctx: Ctx, actor: Actor, id: string): Promise<string | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const [row] = await ctx.db
    .select({ link: notifications.link, readAt: notifications.readAt })
    .from(notifications)
    .where(and(eq(notifications.id, id), eq(notifications.recipientUserId, actor.id)))
    .limit(1);
  if (!row) return null;
  if (!row.readAt) await markNotificationsRead(ctx, actor, { ids: [id] });
  return row.link ?? "/notifications";
}
