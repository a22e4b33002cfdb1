-- Governance (issue 14): alerts, access reviews, PIM-wide settings.
-- The unused placeholder tables of 0000 are replaced by the shapes below (they never held data).
DROP TABLE IF EXISTS "access_review_decisions";--> statement-breakpoint
DROP TABLE IF EXISTS "access_reviews";--> statement-breakpoint
DROP TABLE IF EXISTS "alert_dismissals";--> statement-breakpoint
-- "Roles are being assigned outside of PIM": a row inserted without the engine (which writes 'pim') is 'external'.
ALTER TABLE "role_assignment_schedules" ALTER COLUMN "origin" SET DEFAULT 'external';--> statement-breakpoint
ALTER TABLE "directory_settings" ADD COLUMN "pim_settings" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE TABLE "alert_states" (
	"alert_key" text PRIMARY KEY NOT NULL,
	"active" boolean DEFAULT false NOT NULL,
	"affected_count" integer DEFAULT 0 NOT NULL,
	"affected" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"fingerprint" text DEFAULT '' NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"raised_at" timestamp with time zone,
	"evaluated_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
CREATE TABLE "alert_dismissals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"alert_key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"reason" text NOT NULL,
	"dismissed_by" uuid,
	"dismissed_by_name" text,
	"dismissed_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
CREATE INDEX "alert_dismissals_key_idx" ON "alert_dismissals" USING btree ("alert_key","dismissed_at");--> statement-breakpoint
CREATE TABLE "access_review_definitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"display_name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"role_definition_ids" uuid[] NOT NULL,
	"directory_scope_id" text,
	"assignment_kind" text NOT NULL,
	"stages" jsonb NOT NULL,
	"start_date_time" timestamp with time zone NOT NULL,
	"duration_days" integer NOT NULL,
	"recurrence" text DEFAULT 'oneTime' NOT NULL,
	"recurrence_end_date_time" timestamp with time zone,
	"auto_apply" boolean DEFAULT false NOT NULL,
	"default_decision" text DEFAULT 'noChange' NOT NULL,
	"justification_required" boolean DEFAULT true NOT NULL,
	"recommendations_enabled" boolean DEFAULT true NOT NULL,
	"reminders_enabled" boolean DEFAULT true NOT NULL,
	"stopped_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "access_review_definitions_kind" CHECK ("assignment_kind" in ('eligible','active','all')),
	CONSTRAINT "access_review_definitions_recurrence" CHECK ("recurrence" in ('oneTime','weekly','monthly','quarterly','semiAnnually','annually')),
	CONSTRAINT "access_review_definitions_default" CHECK ("default_decision" in ('noChange','remove','approve','recommendation')),
	CONSTRAINT "access_review_definitions_duration" CHECK ("duration_days" between 1 and 180)
);--> statement-breakpoint
CREATE INDEX "access_review_definitions_created_idx" ON "access_review_definitions" USING btree ("created_at","id");--> statement-breakpoint
CREATE TABLE "access_review_instances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"definition_id" uuid NOT NULL REFERENCES "access_review_definitions"("id") ON DELETE cascade,
	"sequence" integer NOT NULL,
	"start_date_time" timestamp with time zone NOT NULL,
	"end_date_time" timestamp with time zone NOT NULL,
	"status" "review_status" DEFAULT 'NotStarted' NOT NULL,
	"current_stage" integer DEFAULT 0 NOT NULL,
	"stage_end_date_time" timestamp with time zone,
	"item_count" integer DEFAULT 0 NOT NULL,
	"decided_count" integer DEFAULT 0 NOT NULL,
	"completed_at" timestamp with time zone,
	"applied_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX "access_review_instances_seq_idx" ON "access_review_instances" USING btree ("definition_id","sequence");--> statement-breakpoint
CREATE INDEX "access_review_instances_status_idx" ON "access_review_instances" USING btree ("status","end_date_time");--> statement-breakpoint
CREATE TABLE "access_review_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instance_id" uuid NOT NULL REFERENCES "access_review_instances"("id") ON DELETE cascade,
	"schedule_kind" text NOT NULL,
	"schedule_id" uuid NOT NULL,
	"principal_id" uuid NOT NULL,
	"principal_type" "principal_type" NOT NULL,
	"principal_name" text NOT NULL,
	"principal_upn" text,
	"role_definition_id" uuid NOT NULL,
	"role_name" text NOT NULL,
	"directory_scope_id" text NOT NULL,
	"recommendation" text,
	"recommendation_reason" text,
	"last_activation_at" timestamp with time zone,
	"last_sign_in_at" timestamp with time zone,
	"outcome" text,
	"outcome_source" text,
	"applied_at" timestamp with time zone,
	"apply_result" text,
	CONSTRAINT "access_review_items_kind" CHECK ("schedule_kind" in ('eligibility','assignment'))
);--> statement-breakpoint
CREATE UNIQUE INDEX "access_review_items_schedule_idx" ON "access_review_items" USING btree ("instance_id","schedule_id");--> statement-breakpoint
CREATE INDEX "access_review_items_page_idx" ON "access_review_items" USING btree ("instance_id","principal_name","id");--> statement-breakpoint
CREATE TABLE "access_review_item_reviewers" (
	"item_id" uuid NOT NULL REFERENCES "access_review_items"("id") ON DELETE cascade,
	"stage" integer NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"instance_id" uuid NOT NULL,
	CONSTRAINT "access_review_item_reviewers_pk" PRIMARY KEY ("item_id","stage","reviewer_id")
);--> statement-breakpoint
CREATE INDEX "access_review_item_reviewers_reviewer_idx" ON "access_review_item_reviewers" USING btree ("reviewer_id","instance_id","stage");--> statement-breakpoint
CREATE TABLE "access_review_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL REFERENCES "access_review_items"("id") ON DELETE cascade,
	"instance_id" uuid NOT NULL,
	"stage" integer NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"reviewer_name" text NOT NULL,
	"decision" text NOT NULL,
	"justification" text,
	"decided_at" timestamp with time zone NOT NULL,
	CONSTRAINT "access_review_decisions_value" CHECK ("decision" in ('Approve','Deny','DontKnow'))
);--> statement-breakpoint
CREATE UNIQUE INDEX "access_review_decisions_item_stage_idx" ON "access_review_decisions" USING btree ("item_id","stage");--> statement-breakpoint
CREATE INDEX "access_review_decisions_instance_idx" ON "access_review_decisions" USING btree ("instance_id","stage");
