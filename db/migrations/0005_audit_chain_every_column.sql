CREATE TABLE "audit_legacy_segments" (
	"last_id" bigint PRIMARY KEY NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_verifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"trigger" text NOT NULL,
	"ok" boolean NOT NULL,
	"rows_checked" bigint NOT NULL,
	"checkpoints_checked" integer NOT NULL,
	"break_count" integer NOT NULL,
	"breaks" jsonb NOT NULL,
	"head_id" bigint,
	"head_hash" text
);
--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "created_at" SET DATA TYPE timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "created_at" SET DEFAULT now();--> statement-breakpoint
CREATE INDEX "audit_verifications_finished_idx" ON "audit_verifications" USING btree ("finished_at");--> statement-breakpoint
-- Rows written so far were hashed over a subset of columns (format 1): the migrator re-anchors them
-- with a recorded reason (lib/pim/audit-chain/reanchor.ts), never by rewriting them.
INSERT INTO "audit_legacy_segments" ("last_id") SELECT max("id") FROM "audit_events" HAVING max("id") IS NOT NULL;
