import { test, expect } from "./fixtures";
import { createPerson, makeEligible } from "./factories";
import { MyRolesPage } from "./pages/my-roles";
import { ApproveRequestsPage, PendingRequestsPage } from "./pages/requests";
import { expectAccessible, shoot } from "./a11y";

// Security Administrator in the demo directory: stage 1 Liam Carter, stage 2 any one of "PIM Approvers"
// (Liam Carter and Olivia Brown). Each test makes its own requester, so other specs' requests never mix in.
const ROLE = "Security Administrator";

test.describe("Two approval stages as the requester and the approvers see them", () => {
  test("the requester sees the stage and who decided; at stage 2 Olivia is told she is the only approver (Liam decided stage 1)", async ({
    as,
  }, info) => {
    const requester = await createPerson("Nora Stages", { jobTitle: "Security Analyst" });
    await makeEligible(requester, ROLE);
    const page = await as(requester);
    const myRoles = new MyRolesPage(page);
    await myRoles.goto();
    await myRoles.activate(ROLE, {
      justification: "Tune the conditional access alerts (SEC-88)",
      persona: requester,
      mfa: "none",
    });
    await expect(page.getByText(`Your request to activate ${ROLE} is pending approval.`)).toBeVisible();

    const pending = new PendingRequestsPage(page);
    await pending.goto();
    await expect(pending.latest(ROLE)).toContainText("Waiting at stage 1 of 2");

    const liam = new ApproveRequestsPage(await as("liam"));
    await liam.goto();
    await expect(liam.rowFor(requester.displayName, ROLE)).toContainText("Stage 1 of 2");
    await liam.decide(
      "Approve",
      [{ requester: requester.displayName, role: ROLE }],
      "Alert tuning agreed in the change board",
    );

    await pending.goto();
    const row = pending.latest(ROLE);
    await expect(row).toContainText("Waiting at stage 2 of 2");
    await expect(row).toContainText("Stage 1: Approved by Liam Carter: “Alert tuning agreed in the change board”");
    await shoot(page, info, "pending-requests-stages");
    await expectAccessible(page, "pending requests with a two-stage request");

    const olivia = new ApproveRequestsPage(await as("olivia"));
    await olivia.goto();
    const waiting = olivia.rowFor(requester.displayName, ROLE);
    await expect(waiting).toContainText("Stage 2 of 2");
    // Liam is a member of PIM Approvers but decided stage 1: he may not decide stage 2, so he is not listed.
    await expect(waiting).toContainText("Only you");
    await expect(waiting.getByRole("link", { name: /other approver/ })).toHaveCount(0);
    await shoot(olivia.page, info, "approve-requests-stage-2");
    await expectAccessible(olivia.page, "approve requests at stage 2");
    await olivia.decide("Approve", [{ requester: requester.displayName, role: ROLE }], "Second pair of eyes: fine");

    await pending.goto();
    const done = pending.latest(ROLE);
    await expect(done).toContainText("Approved");
    await expect(done).not.toContainText("Waiting at stage");
    await expect(done).toContainText("Stage 1: Approved by Liam Carter");
    await expect(done).toContainText("Stage 2: Approved by Olivia Brown: “Second pair of eyes: fine”");
  });
});
