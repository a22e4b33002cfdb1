import { z } from "zod";

/**
 * Environment variables, validated once. Every module reads configuration through `env()`,
 * never through `process.env` directly, so a missing or malformed value fails with one clear message.
 */
const flag = z
  .enum(["1", "0", "true", "false", "on", "off", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "on");

const optionalUrl = (what: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined))
    .pipe(z.url({ message: `${what} must be a URL` }).optional());

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: optionalUrl("DATABASE_URL (postgres://user:pass@host:5432/db)"),
    /** The owner role that runs migrations (PostgreSQL); DATABASE_URL is then the app's narrower role. */
    DATABASE_OWNER_URL: optionalUrl("DATABASE_OWNER_URL (postgres://owner:pass@host:5432/db)"),
    PGLITE_DIR: z.string().default(".data/pglite"),
    /** Signs audit checkpoints (HMAC-SHA256). Keep it out of the database and its backups. */
    AUDIT_CHECKPOINT_KEY: optionalString.pipe(
      z
        .string()
        .min(32, { message: "AUDIT_CHECKPOINT_KEY must be at least 32 characters (openssl rand -base64 32)" })
        .optional(),
    ),
    /** Where signed checkpoints are appended (audit-checkpoints.jsonl); outside the database. */
    AUDIT_CHECKPOINT_DIR: optionalString,
    AUDIT_CHECKPOINT_EVERY_MINUTES: z.coerce.number().min(1).max(10_080).default(60),
    /** Days the bell's notices, delivered emails and their outbox events are kept (lib/pim/notifications/retention.ts). */
    NOTICE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    /** Scheduled verification of the whole chain; 0 = never (run `npm run audit:verify` from cron instead). */
    AUDIT_VERIFY_EVERY_HOURS: z.coerce.number().min(0).max(720).default(24),
    AUTH_SECRET: optionalString.pipe(
      z
        .string()
        .min(32, { message: "AUTH_SECRET must be at least 32 characters (openssl rand -base64 32)" })
        .optional(),
    ),
    AUTH_URL: optionalUrl("AUTH_URL"),
    PUBLIC_URL: optionalUrl("PUBLIC_URL"),
    SESSION_MAX_AGE_HOURS: z.coerce.number().min(0.1).max(720).default(12),
    PIM_DEMO_MODE: flag,
    OIDC_ISSUER: optionalUrl("OIDC_ISSUER"),
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,
    OIDC_NAME: z.string().default("Single sign-on"),
    /** Link accounts by the provider's preferred_username / upn too (only where administrators assign them). */
    OIDC_TRUST_USERNAME: flag,
    SMTP_URL: optionalUrl("SMTP_URL (smtp://user:pass@host:587)"),
    MAIL_FROM: z.string().default("PIM Portal <pim@localhost>"),
    CRON_SECRET: optionalString,
    PIM_SCHEDULER: z.enum(["on", "off"]).default("on"),
    PIM_TEST_CLOCK: flag,
    BOOTSTRAP_ADMIN_EMAIL: optionalString.pipe(
      z.email({ message: "BOOTSTRAP_ADMIN_EMAIL must be an email" }).optional(),
    ),
    BOOTSTRAP_ADMIN_PASSWORD: optionalString.pipe(
      z.string().min(12, { message: "BOOTSTRAP_ADMIN_PASSWORD must be at least 12 characters" }).optional(),
    ),
    BOOTSTRAP_ADMIN_NAME: z.string().default("Global Administrator"),
    /**
     * Reverse proxies in front of the portal whose X-Forwarded-For / -Proto / -Host are believed (default 1: one,
     * e.g. the platform's load balancer; 0 when clients connect directly).
     */
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(1),
    /** Requests per minute per API token (Graph API and access check); 0 = no limit. */
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
    /** The decision server (`npm run pdp`): where it listens and how many database connections it keeps. */
    PDP_HOST: z.string().default("127.0.0.1"),
    PDP_PORT: z.coerce.number().int().min(1).max(65535).default(3900),
    /**
     * The decision server's connections: about the database's cores. postgres.js pipelines the checks of one
     * connection, so more connections only add context switches (at L on 2 cores: 4 answered 8 % more than 10).
     */
    PDP_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(4),
    /** The planner's cost of a random page read on the decision server's connections (its data sits in memory). */
    PDP_RANDOM_PAGE_COST: z.coerce.number().min(0.1).max(100).default(1.1),
    /** Where the top bar's "Got feedback?" leads (a form, an issue tracker, a mailto:); hidden when unset. */
    FEEDBACK_URL: optionalString.pipe(
      z
        .url({
          protocol: /^(https?|mailto)$/,
          message: "FEEDBACK_URL must be an http(s) or mailto: URL",
        })
        .optional(),
    ),
  })
  .superRefine((e, ctx) => {
    const oidc = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter(Boolean).length;
    if (oidc > 0 && oidc < 3) {
      ctx.addIssue({
        code: "custom",
        path: ["OIDC_ISSUER"],
        message: "OIDC needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together",
      });
    }
    if (e.DATABASE_OWNER_URL && !e.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_URL"],
        message: "DATABASE_OWNER_URL runs the migrations; DATABASE_URL (the app's role) must be set with it",
      });
    }
    if (Boolean(e.AUDIT_CHECKPOINT_KEY) !== Boolean(e.AUDIT_CHECKPOINT_DIR)) {
      ctx.addIssue({
        code: "custom",
        path: ["AUDIT_CHECKPOINT_DIR"],
        message: "audit checkpoints need AUDIT_CHECKPOINT_KEY and AUDIT_CHECKPOINT_DIR together",
      });
    }
    if (e.PIM_DEMO_MODE && e.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["PIM_DEMO_MODE"],
        message: "PIM_DEMO_MODE is only for the embedded demo database; unset it when DATABASE_URL is set",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse({
    ...source,
    DATABASE_OWNER_URL: source.DATABASE_OWNER_URL || source.MIGRATION_DATABASE_URL,
  });
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".") || "env"}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

/** The validated environment (parsed on first use, then cached). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
