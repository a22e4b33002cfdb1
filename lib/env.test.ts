import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

describe("environment validation", () => {
  it("accepts an empty environment with the embedded database defaults", () => {
    const e = parseEnv({});
    expect(e.DATABASE_URL).toBeUndefined();
    expect(e.PGLITE_DIR).toBe(".data/pglite");
    expect(e.PIM_DEMO_MODE).toBe(false);
    expect(e.PIM_SCHEDULER).toBe("on");
  });

  it("names every malformed variable with a clear message", () => {
    expect(() => parseEnv({ DATABASE_URL: "not a url", AUTH_SECRET: "short", SESSION_MAX_AGE_HOURS: "abc" })).toThrow(
      /DATABASE_URL[^\n]*must be a URL[\s\S]*AUTH_SECRET: AUTH_SECRET must be at least 32 characters[\s\S]*SESSION_MAX_AGE_HOURS/,
    );
  });

  it("wants the three OIDC variables together", () => {
    expect(() => parseEnv({ OIDC_ISSUER: "https://idp.example.com" })).toThrow(
      /OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together/,
    );
    expect(
      parseEnv({ OIDC_ISSUER: "https://idp.example.com", OIDC_CLIENT_ID: "a", OIDC_CLIENT_SECRET: "b" }).OIDC_ISSUER,
    ).toBe("https://idp.example.com");
  });

  it("takes an http(s) or mailto: feedback link, and nothing else (it becomes a link in every page)", () => {
    expect(parseEnv({}).FEEDBACK_URL).toBeUndefined();
    expect(parseEnv({ FEEDBACK_URL: " " }).FEEDBACK_URL).toBeUndefined();
    expect(parseEnv({ FEEDBACK_URL: "https://forms.example.com/pim" }).FEEDBACK_URL).toBe(
      "https://forms.example.com/pim",
    );
    expect(parseEnv({ FEEDBACK_URL: "mailto:pim-team@example.com" }).FEEDBACK_URL).toBe("mailto:pim-team@example.com");
    expect(() => parseEnv({ FEEDBACK_URL: "javascript:alert(1)" })).toThrow(/FEEDBACK_URL/);
    expect(() => parseEnv({ FEEDBACK_URL: "not a url" })).toThrow(/FEEDBACK_URL/);
  });

  it("refuses demo mode on a PostgreSQL server (demo mode is for the embedded demo only)", () => {
    expect(() => parseEnv({ PIM_DEMO_MODE: "1", DATABASE_URL: "postgres://u@h/db" })).toThrow(/PIM_DEMO_MODE/);
  });
});
