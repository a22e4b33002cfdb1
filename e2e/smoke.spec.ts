import { test, expect } from "@playwright/test";

test("the server is ready and its database answers", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok" });
});

test("the test clock refuses callers without the cron secret", async ({ request }) => {
  const res = await request.post("/api/test/clock", { data: { advanceMinutes: 1 } });
  expect(res.status()).toBe(401);
});

test("a visitor who is not signed in is sent to the sign-in page", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
});
