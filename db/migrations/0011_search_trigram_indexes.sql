-- Substring search (`ilike '%q%'`) through trigram GIN indexes. pg_trgm is a trusted extension (PostgreSQL 13+):
-- the owner role that runs migrations may create it. PGlite ships it as a contrib extension that db/client.ts
-- (and the test setup) load, so the same migration runs on both. IF NOT EXISTS: databases that got these
-- indexes from this migration under its first number (0010, before the sign-in log took it) skip them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "assignment_principal_name_trgm_idx" ON "role_assignment_schedules" USING gin ("principal_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "eligibility_principal_name_trgm_idx" ON "role_eligibility_schedules" USING gin ("principal_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "users_display_name_trgm_idx" ON "users" USING gin ("display_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "users_upn_trgm_idx" ON "users" USING gin ("user_principal_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "users_mail_trgm_idx" ON "users" USING gin ("mail" gin_trgm_ops);