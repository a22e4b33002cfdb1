import { expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { CRON_SECRET } from "../fixtures";

/** The Notifications page and the bell in the top bar, as a person uses them. */
export class NotificationsPage {
  constructor(readonly page: Page) {}

  async goto(show: "all" | "unread" = "all") {
    await this.page.goto(show === "unread" ? "/notifications?show=unread" : "/notifications");
    await expect(this.page.getByRole("heading", { level: 1, name: /\| Notifications$/ })).toBeVisible();
  }

  /** The bell in the top bar (a link to this page). Its accessible name carries the unread count. */
  get bell(): Locator {
    return this.page.getByRole("banner").getByRole("link", { name: /^Notifications, / });
  }

  /** The unread count the bell announces ("Notifications, 3 unread" → 3; "none unread" → 0). */
  async bellCount(): Promise<number> {
    const label = (await this.bell.getAttribute("aria-label")) ?? "";
    const m = /(\d+) unread/.exec(label);
    if (m) return Number(m[1]);
    expect(label).toBe("Notifications, none unread");
    return 0;
  }

  list(): Locator {
    return this.page.getByRole("list", { name: "Notifications" });
  }

  /** The newest notice whose title matches. */
  notice(title: string | RegExp): Locator {
    return this.list()
      .getByRole("listitem")
      .filter({ has: this.page.getByRole("link", { name: title }) })
      .first();
  }

  /** Opens a notice by its title link (marks it read and goes to the page that acts on it). */
  async open(title: string | RegExp) {
    await this.notice(title).getByRole("link", { name: title }).click();
  }

  get deliveryProblems(): Locator {
    return this.page.getByRole("region", { name: "Delivery problems" });
  }
}

export type CronAnswer = {
  status: number;
  body: {
    ok?: boolean;
    error?: { code: string };
    expire?: {
      assignmentsExpired: number;
      eligibilitiesExpired: number;
      requestsTimedOut: number;
      expiringNotices: number;
    };
    delivery?: { claimed: number; sent: number; retried: number; failed: number; reclaimed: number; stale: number };
  };
};

/** Calls the cron route as a scheduler would; `authorization: null` sends no header at all. */
export async function callCron(
  request: APIRequestContext,
  opts: { method?: "GET" | "POST"; authorization?: string | null } = {},
): Promise<CronAnswer> {
  const authorization = opts.authorization === undefined ? `Bearer ${CRON_SECRET}` : opts.authorization;
  const res = await request.fetch("/api/cron/expire", {
    method: opts.method ?? "POST",
    headers: authorization === null ? {} : { authorization },
  });
  return { status: res.status(), body: (await res.json()) as CronAnswer["body"] };
}

export const expiredTotal = (b: CronAnswer["body"]) =>
  (b.expire?.assignmentsExpired ?? 0) +
  (b.expire?.eligibilitiesExpired ?? 0) +
  (b.expire?.requestsTimedOut ?? 0) +
  (b.expire?.expiringNotices ?? 0);
