import { expect, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "../../db/demo-directory";
import { freshCode } from "../totp";

/** An e2e-only person (e2e/seed/directory.ts) signed in through the real pages: password, then TOTP. */
export async function signInPerson(
  browser: Browser,
  who: { userPrincipalName: string; totpSecret: string },
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel(/email|user principal name|sign-in name/i).fill(who.userPrincipalName);
  await page.getByLabel(/^password/i).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: /^sign in$/i }).click();
  await page.waitForURL(/\/mfa/);
  await answerMfa(page, who.totpSecret);
  await page.waitForURL((url) => !/\/(sign-in|mfa)/.test(url.pathname));
  return { page, context };
}

/** Answers the TOTP challenge on the current /mfa page. */
export async function answerMfa(page: Page, totpSecret: string): Promise<void> {
  await page
    .getByLabel(/code/i)
    .first()
    .fill(await freshCode(totpSecret));
  await page.getByRole("button", { name: /verify|sign in|continue/i }).click();
}

/** A permission checkbox's accessible name starts with the Graph name, then its description. */
const scopeName = (scope: string) => new RegExp(`^${scope.replace(/\./g, "\\.")}( |$)`);

/** API tokens: create (the token is shown once), list, revoke. */
export class TokensPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/tokens");
    await expect(this.page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
  }

  get shownOnce(): Locator {
    return this.page.getByTestId("new-token");
  }

  get mfaState(): Locator {
    return this.page.getByTestId("token-mfa-state");
  }

  row(name: string): Locator {
    return this.page.getByRole("row").filter({ has: this.page.getByRole("cell", { name, exact: true }) });
  }

  /** Fills the form, creates the token and returns the value shown once. */
  async create(name: string, scopes: string[], days = 30): Promise<string> {
    await this.page.getByLabel("Name", { exact: true }).fill(name);
    await this.page.getByLabel("Expires after (days)").fill(String(days));
    for (const s of scopes) await this.page.getByRole("checkbox", { name: scopeName(s) }).check();
    await this.page.getByRole("button", { name: "Create token" }).click();
    await expect(this.shownOnce).toBeVisible();
    await expect(this.page.getByText(`Copy the token “${name}” now. It is shown only once.`)).toBeVisible();
    const token = (await this.shownOnce.textContent())?.trim() ?? "";
    expect(token).toMatch(/^pim_[A-Za-z0-9_-]{40,}$/);
    return token;
  }

  async revoke(name: string) {
    await this.row(name)
      .getByRole("button", { name: `Revoke ${name}` })
      .click();
    await expect(this.row(name)).toContainText("Revoked");
  }
}

/** Service principals ("App registrations"): register one, add client secrets (shown once), revoke them. */
export class ServicePrincipalsPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/service-principals");
    await expect(this.page.getByRole("heading", { level: 1, name: "Service principals" })).toBeVisible();
  }

  row(name: string): Locator {
    return this.page.getByTestId("sp-row").filter({ hasText: name });
  }

  get newButton(): Locator {
    return this.page.getByRole("button", { name: "New service principal" });
  }

  /** Registers one; lands on its page. Returns its object id and application (client) id. */
  async register(name: string, description: string): Promise<{ objectId: string; appId: string }> {
    await this.newButton.click();
    const panel = this.page.getByRole("dialog", { name: "Register a service principal" });
    await panel.getByLabel(/^Display name/).fill(name);
    await panel.getByLabel(/^Description/).fill(description);
    await panel.getByRole("button", { name: "Register" }).click();
    await expect(this.page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(this.page.getByText(`Registered ${name}.`)).toBeVisible();
    return {
      objectId: (await this.page.getByTestId("object-id").textContent()) ?? "",
      appId: (await this.page.getByTestId("app-id").textContent()) ?? "",
    };
  }

  get newSecretButton(): Locator {
    return this.page.getByRole("button", { name: "New client secret" });
  }

  secretRow(description: string): Locator {
    return this.page.getByTestId("secret-row").filter({ hasText: description });
  }

  /** On a service principal's page: adds a client secret and returns the value shown once. */
  async addSecret(description: string, scopes: string[]): Promise<string> {
    await this.newSecretButton.click();
    const panel = this.page.getByRole("dialog", { name: "Add a client secret" });
    await panel.getByLabel(/^Description/).fill(description);
    for (const s of scopes) await panel.getByRole("checkbox", { name: scopeName(s) }).check();
    await panel.getByRole("button", { name: "Add" }).click();
    await expect(panel).toBeHidden();
    const shown = this.page.getByTestId("new-secret");
    await expect(shown).toBeVisible();
    const secret = (await shown.textContent())?.trim() ?? "";
    expect(secret).toMatch(/^pcs_[A-Za-z0-9_-]{40,}$/);
    return secret;
  }
}
