import { test, expect } from "./fixtures";
import { createPerson, makeEligible } from "./factories";
import { expectAccessible, shoot } from "./a11y";
import { MyRolesPage } from "./pages/my-roles";
import { NotificationsPage } from "./pages/notifications";
import { ApproveRequestsPage, PendingRequestsPage } from "./pages/requests";

// Security Administrator needs Liam Carter's approval first (stage 1) in the demo directory; Noah Wilson is
// eligible for it. The request is canceled at the end, so no other story finds it pending. Liam's inbox is
// counted exactly, and other specs' requests reach it too: this spec runs in the "exclusive" project, alone.
const ROLE = "Security Administrator";
const NOAH = "Noah Wilson";
const ASKS = `${NOAH} requests approval to activate ${ROLE}`;
const CANCELED = `Request by ${NOAH} for ${ROLE} was canceled`;
const BOUNCE = "bruno.bounce@perparimsolutions.onmicrosoft.com";

test.describe.serial("Notifications: the bell, the page and where a notice leads", () => {
  test("Liam opens the approval notice: it is marked read, the bell drops, and Approve requests shows the request", async ({
    as,
  }) => {
    const noah = await as("noah");
    const myRoles = new MyRolesPage(noah);
    await myRoles.goto();
    await myRoles.activate(ROLE, {
      justification: "Review the conditional access alerts (SEC-77)",
      persona: "noah",
      mfa: "none",
    });
    await expect(noah.getByText(`Your request to activate ${ROLE} is pending approval.`)).toBeVisible();

    const liam = await as("liam");
    const inbox = new NotificationsPage(liam);
    await inbox.goto();
    const before = await inbox.bellCount();
    expect(before).toBeGreaterThanOrEqual(1);
    await expect(liam.getByTestId("unread-summary")).toHaveText(`${before} unread.`);
    const notice = inbox.notice(ASKS);
    await expect(notice.getByRole("link", { name: ASKS })).toContainText("(unread)");
    await expect(notice).toContainText(`asked to activate the ${ROLE} role`);

    await inbox.open(ASKS);
    await liam.waitForURL(/\/approve-requests\?request=[0-9a-f-]{36}$/);
    const approve = new ApproveRequestsPage(liam);
    await expect(liam.getByRole("heading", { level: 1, name: /Approve requests/ })).toBeVisible();
    const row = approve.rowFor(NOAH, ROLE).filter({ hasText: "Review the conditional access alerts (SEC-77)" });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole("checkbox", { name: `Select the request of ${NOAH} for ${ROLE}` })).toBeEnabled(); // Liam may decide it
    // the notice's request is the one selected, and the page says so
    await expect(row.getByRole("checkbox", { name: `Select the request of ${NOAH} for ${ROLE}` })).toBeChecked();
    await expect(
      liam
        .getByRole("status")
        .filter({ hasText: `Opened from a notification: the request of ${NOAH} for ${ROLE} is selected.` }),
    ).toBeVisible();
    await expect(liam.getByText("1 selected.")).toBeVisible();
    await expect.poll(() => inbox.bellCount()).toBe(before - 1);

    await inbox.goto();
    await expect(inbox.notice(ASKS).getByRole("link", { name: ASKS })).not.toContainText("(unread)");
    await expect(inbox.notice(ASKS).getByRole("button", { name: /^Mark as read/ })).toHaveCount(0);
  });

  test("Noah cancels; Liam is told; Mark as read and Mark all as read empty the bell", async ({ as }) => {
    // Someone else asks Liam too, so Mark all as read has at least one more notice to clear.
    const other = await createPerson("Owen Other");
    await makeEligible(other, ROLE);
    const otherRoles = new MyRolesPage(await as(other));
    await otherRoles.goto();
    await otherRoles.activate(ROLE, { justification: "Weekly alert review", persona: other, mfa: "none" });
    await expect(otherRoles.page.getByText(`Your request to activate ${ROLE} is pending approval.`)).toBeVisible();

    const noah = await as("noah");
    const pending = new PendingRequestsPage(noah);
    await pending.goto();
    await pending.cancelLatest(ROLE);
    await expect(pending.latest(ROLE)).toContainText("Canceled");

    const liam = await as("liam");
    const inbox = new NotificationsPage(liam);
    await inbox.goto("unread");
    const before = await inbox.bellCount();
    const notice = inbox.notice(CANCELED);
    await expect(notice).toBeVisible();
    await notice.getByRole("button", { name: `Mark as read: ${CANCELED}` }).click();
    await expect(liam.getByText("Marked as read.")).toBeVisible();
    await expect.poll(() => inbox.bellCount()).toBe(before - 1);
    await expect(inbox.notice(CANCELED)).toHaveCount(0); // gone from the Unread view

    expect(before - 1).toBeGreaterThanOrEqual(1); // at least the other person's request
    await liam
      .getByRole("toolbar", { name: "Notification commands" })
      .getByRole("button", { name: "Mark all as read" })
      .click();
    await expect(liam.getByText("All notifications are marked as read.")).toBeVisible();
    await expect.poll(() => inbox.bellCount()).toBe(0);
    await expect(inbox.bell).toHaveAccessibleName("Notifications, none unread");
    await expect(liam.getByText("No unread notifications")).toBeVisible();
    await expect(
      liam.getByRole("toolbar", { name: "Notification commands" }).getByRole("button", { name: "Mark all as read" }),
    ).toBeDisabled();
    await inbox.goto();
    await expect(inbox.notice(CANCELED)).toBeVisible(); // still listed under All, read
  });

  test("admins see failed email deliveries with the error and can queue them again; others do not see the list", async ({
    as,
  }, info) => {
    const noah = await as("noah");
    const noahInbox = new NotificationsPage(noah);
    await noahInbox.goto();
    await expect(noahInbox.deliveryProblems).toHaveCount(0);
    await expect(noah.getByText(BOUNCE)).toHaveCount(0);

    const grace = await as("grace");
    const inbox = new NotificationsPage(grace);
    await inbox.goto();
    const problems = inbox.deliveryProblems;
    await expect(problems.getByRole("heading", { name: "Delivery problems" })).toBeVisible();
    const row = problems.getByRole("row").filter({ hasText: BOUNCE });
    await expect(row).toContainText("Your eligible Global Reader assignment has expired");
    await expect(row).toContainText("550 5.1.1");
    await expect(inbox.bell).toBeVisible();
    await expectAccessible(grace, "notifications (admin, with delivery problems)");
    await shoot(grace, info, "notifications");

    await row.getByRole("button", { name: new RegExp(`^Retry the email to ${BOUNCE}`) }).click();
    await expect(grace.getByText("The email is back in the queue.")).toBeVisible();
    await expect(problems.getByRole("row").filter({ hasText: BOUNCE })).toHaveCount(0);
    await grace.goto("/activity?view=resource");
    await expect(grace.getByRole("row").filter({ hasText: "Retry notification delivery" }).first()).toContainText(
      "Grace Miller",
    );
  });
});
