import { test, expect } from "./fixtures";
import { createPerson, makeEligible, type Person } from "./factories";
import { expectAccessible, shoot } from "./a11y";
import { MyRolesPage } from "./pages/my-roles";
import { ApproveRequestsPage, PendingRequestsPage } from "./pages/requests";
import { captureAction, replayAction, type ActionCall } from "./server-action";

// Groups Administrator needs Liam Carter's approval in the demo directory. The story's own requester (made
// before it starts) is eligible for it; the story's tests share one clock.
const ROLE = "Groups Administrator";
let alexPerson: Person;
let ALEX = "";

async function requestRole(myRoles: MyRolesPage, justification: string) {
  await myRoles.goto();
  await myRoles.activate(ROLE, { justification, persona: alexPerson, mfa: "none" });
  await expect(myRoles.page.getByText(`Your request to activate ${ROLE} is pending approval.`)).toBeVisible();
  await expect(myRoles.eligibleRow(ROLE)).toContainText("Pending approval");
}

async function latestRequestId(pending: PendingRequestsPage): Promise<string> {
  const testId = await pending.latest(ROLE).getAttribute("data-testid");
  const id = testId?.replace(/^request-/, "") ?? "";
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  return id;
}

// Serial: one requester's story (cancel, deny, approve), each step using the server action the previous one recorded.
test.describe.serial("Requests that need approval", () => {
  test.use({ clockScope: "describe" });
  let cancelCall: ActionCall;
  let decideCall: ActionCall;
  test.beforeAll(async () => {
    alexPerson = await createPerson("Alex Sysadmin", { jobTitle: "Systems Administrator" });
    ALEX = alexPerson.displayName;
    await makeEligible(alexPerson, ROLE);
  });

  test("Alex requests Groups Administrator and cancels the pending request", async ({ as }) => {
    const page = await as(alexPerson);
    await requestRole(new MyRolesPage(page), "Clean up stale distribution groups");
    const pending = new PendingRequestsPage(page);
    await pending.goto();
    await expect(pending.latest(ROLE)).toContainText("Pending approval");
    await expect(pending.latest(ROLE)).toContainText("Clean up stale distribution groups");
    cancelCall = await captureAction(page, () => pending.cancelLatest(ROLE));
    await expect(page.getByText(`Your request for ${ROLE} is canceled.`)).toBeVisible();
    await expect(pending.latest(ROLE)).toContainText("Canceled");
    await expect(pending.latest(ROLE).getByRole("button", { name: /^Cancel/ })).toHaveCount(0);
  });

  test("someone else never sees Cancel for Alex's request, and the server refuses it", async ({ as }) => {
    const alex = await as(alexPerson);
    await requestRole(new MyRolesPage(alex), "Rename the helpdesk groups");
    const pending = new PendingRequestsPage(alex);
    await pending.goto();
    const requestId = await latestRequestId(pending);

    const emma = await as(await createPerson("Emma Bystander"));
    await emma.goto("/pending-requests");
    await expect(emma.getByRole("row").filter({ hasText: ROLE })).toHaveCount(0);
    const answer = await replayAction(emma.request, cancelCall, [{ requestId }]);
    expect(answer).toContain('"ok":false');
    expect(answer).toContain('"code":"Forbidden"');

    await pending.goto();
    await expect(pending.latest(ROLE)).toContainText("Pending approval");
  });

  test("Alex never sees his own request to approve; Liam denies it with a reason; Alex sees Denied", async ({
    as,
  }, info) => {
    const alex = await as(alexPerson);
    const alexApprove = new ApproveRequestsPage(alex);
    await alexApprove.goto();
    await expect(alexApprove.rowFor(ALEX, ROLE)).toHaveCount(0);
    await expect(alex.getByRole("checkbox", { name: new RegExp(`Select the request of ${ALEX}`) })).toHaveCount(0);

    const liam = await as("liam");
    const approve = new ApproveRequestsPage(liam);
    await approve.goto();
    const row = approve.rowFor(ALEX, ROLE);
    await expect(row).toContainText("Rename the helpdesk groups");
    await expect(row).toContainText("8 hours");
    await expect(row).toContainText("Only you");
    await shoot(liam, info, "approve-requests");
    await expectAccessible(liam, "approve requests");

    decideCall = await captureAction(liam, async () => {
      await approve.checkbox(ALEX, ROLE).check();
      await liam.getByRole("toolbar", { name: "Approval commands" }).getByRole("button", { name: /^Deny/ }).click();
      const panel = liam.getByRole("dialog", { name: /^Deny request/ });
      // The justification is required (same schema as the server).
      await panel.getByRole("button", { name: "Deny", exact: true }).click();
      await expect(panel.getByLabel("Justification")).toHaveAccessibleDescription(/Write why you approve or deny/);
      await shoot(liam, info, "approve-requests-decision");
      await expectAccessible(liam, "decision panel");
      await panel.getByLabel("Justification").fill("Use the Groups Administrator of your region instead");
      await panel.getByRole("button", { name: "Deny", exact: true }).click();
      await expect(panel.getByText("Denied")).toBeVisible();
      await panel.getByRole("button", { name: "Done" }).click();
    });
    await expect(approve.rowFor(ALEX, ROLE)).toHaveCount(0);

    const pending = new PendingRequestsPage(alex);
    await pending.goto();
    await expect(pending.latest(ROLE)).toContainText("Denied");
    await expect(pending.latest(ROLE)).toContainText(
      "Denied by Liam Carter: “Use the Groups Administrator of your region instead”",
    );
  });

  test("Alex requests again, cannot approve it himself even by calling the server, Liam approves, the role is active", async ({
    as,
  }, info) => {
    const alex = await as(alexPerson);
    const myRoles = new MyRolesPage(alex);
    await requestRole(myRoles, "Quarterly group membership review");
    const pending = new PendingRequestsPage(alex);
    await pending.goto();
    const requestId = await latestRequestId(pending);
    await shoot(alex, info, "pending-requests");
    await expectAccessible(alex, "pending requests");

    const answer = await replayAction(alex.request, decideCall, [
      { requestIds: [requestId], decision: "Approve", justification: "approving myself" },
    ]);
    expect(answer).toContain('"ok":false');
    expect(answer).toContain('"code":"Forbidden"');
    expect(answer).toContain("You cannot approve or deny your own request.");
    await pending.goto();
    await expect(pending.latest(ROLE)).toContainText("Pending approval");

    const liam = await as("liam");
    const approve = new ApproveRequestsPage(liam);
    await approve.goto();
    const panel = await approve.decide(
      "Approve",
      [{ requester: ALEX, role: ROLE }],
      "Review agreed with the IT operations team",
    );
    await expect(panel.getByTestId(`decision-${requestId}`)).toContainText("Approved");

    await myRoles.goto("active");
    const row = await myRoles.expectActive(ROLE);
    await expect(row).toContainText("Activated");
    await pending.goto();
    await expect(pending.latest(ROLE)).toContainText("Approved");
  });
});
