CREATE TYPE "public"."assignment_type" AS ENUM('Assigned', 'Activated');--> statement-breakpoint
CREATE TYPE "public"."audit_result" AS ENUM('success', 'failure');--> statement-breakpoint
CREATE TYPE "public"."decision_value" AS ENUM('Approve', 'Deny');--> statement-breakpoint
CREATE TYPE "public"."expiration_type" AS ENUM('noExpiration', 'afterDateTime', 'afterDuration');--> statement-breakpoint
CREATE TYPE "public"."member_type" AS ENUM('Direct', 'Group');--> statement-breakpoint
CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'sending', 'sent', 'failed', 'skipped');--> statement-breakpoint
CREATE TYPE "public"."principal_type" AS ENUM('User', 'Group', 'ServicePrincipal');--> statement-breakpoint
CREATE TYPE "public"."request_action" AS ENUM('adminAssign', 'adminUpdate', 'adminRemove', 'adminExtend', 'adminRenew', 'selfActivate', 'selfDeactivate', 'selfExtend', 'selfRenew');--> statement-breakpoint
CREATE TYPE "public"."request_status" AS ENUM('PendingApproval', 'PendingProvisioning', 'Granted', 'ScheduleCreated', 'Provisioned', 'Denied', 'Canceled', 'Revoked', 'Failed', 'TimedOut');--> statement-breakpoint
CREATE TYPE "public"."request_type" AS ENUM('assignment', 'eligibility');--> statement-breakpoint
CREATE TYPE "public"."review_status" AS ENUM('NotStarted', 'InProgress', 'Completed', 'Applied');--> statement-breakpoint
CREATE TYPE "public"."schedule_status" AS ENUM('Granted', 'Provisioned', 'Expired', 'Revoked', 'Canceled');--> statement-breakpoint
CREATE TABLE "access_review_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"schedule_kind" text NOT NULL,
	"schedule_id" uuid NOT NULL,
	"principal_id" uuid NOT NULL,
	"reviewer_id" uuid,
	"decision" text DEFAULT 'NotReviewed' NOT NULL,
	"justification" text,
	"decided_at" timestamp with time zone,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "access_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"display_name" text NOT NULL,
	"description" text,
	"role_definition_ids" uuid[] NOT NULL,
	"assignment_kind" text DEFAULT 'all' NOT NULL,
	"reviewer_type" text NOT NULL,
	"reviewer_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"fallback_reviewer_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"start_date_time" timestamp with time zone NOT NULL,
	"end_date_time" timestamp with time zone NOT NULL,
	"frequency" text DEFAULT 'oneTime' NOT NULL,
	"auto_apply" boolean DEFAULT false NOT NULL,
	"default_decision" text DEFAULT 'noChange' NOT NULL,
	"status" "review_status" DEFAULT 'NotStarted' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "administrative_units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"display_name" text NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_dismissals" (
	"alert_key" text PRIMARY KEY NOT NULL,
	"dismissed_by" uuid,
	"dismissed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"service_principal_id" uuid,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"hint" text NOT NULL,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"mfa_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "approval_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"stage" integer NOT NULL,
	"approver_id" uuid NOT NULL,
	"decision" "decision_value" NOT NULL,
	"justification" text NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"category" text DEFAULT 'RoleManagement' NOT NULL,
	"activity" text NOT NULL,
	"operation" text NOT NULL,
	"result" "audit_result" DEFAULT 'success' NOT NULL,
	"result_reason" text,
	"actor_id" uuid,
	"actor_type" "principal_type",
	"actor_name" text,
	"target_id" uuid,
	"target_type" "principal_type",
	"target_name" text,
	"role_definition_id" uuid,
	"role_name" text,
	"directory_scope_id" text,
	"request_id" uuid,
	"justification" text,
	"ticket_number" text,
	"ticket_system" text,
	"client_ip" text,
	"user_agent" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "auth_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"mfa_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"replaced_by" uuid,
	"method" text DEFAULT 'password' NOT NULL,
	"client_ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "directory_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"tenant_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"tenant_name" text NOT NULL,
	"alert_settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "directory_settings_singleton" CHECK ("directory_settings"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "group_members" (
	"group_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_members_group_id_user_id_pk" PRIMARY KEY("group_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"display_name" text NOT NULL,
	"description" text,
	"mail_nickname" text,
	"is_assignable_to_role" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_state" (
	"name" text PRIMARY KEY NOT NULL,
	"last_run_at" timestamp with time zone,
	"last_result" jsonb
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"event_type" text NOT NULL,
	"recipient_user_id" uuid,
	"recipient_email" text,
	"subject" text NOT NULL,
	"body_text" text NOT NULL,
	"body_html" text NOT NULL,
	"link" text,
	"request_id" uuid,
	"status" "outbox_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"read_at" timestamp with time zone,
	"dedupe_key" text
);
--> statement-breakpoint
CREATE TABLE "role_assignment_schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"principal_id" uuid NOT NULL,
	"principal_type" "principal_type" NOT NULL,
	"role_definition_id" uuid NOT NULL,
	"directory_scope_id" text DEFAULT '/' NOT NULL,
	"assignment_type" "assignment_type" NOT NULL,
	"member_type" "member_type" DEFAULT 'Direct' NOT NULL,
	"status" "schedule_status" DEFAULT 'Provisioned' NOT NULL,
	"start_date_time" timestamp with time zone NOT NULL,
	"end_date_time" timestamp with time zone,
	"eligibility_schedule_id" uuid,
	"created_using" uuid,
	"created_by" uuid,
	"origin" text DEFAULT 'pim' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expiring_notice_14d_at" timestamp with time zone,
	"expiring_notice_1d_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "role_definitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"display_name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"is_built_in" boolean DEFAULT true NOT NULL,
	"is_enabled" boolean DEFAULT true NOT NULL,
	"is_privileged" boolean DEFAULT false NOT NULL,
	"template_id" uuid,
	"allowed_resource_actions" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "role_eligibility_schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"principal_id" uuid NOT NULL,
	"principal_type" "principal_type" NOT NULL,
	"role_definition_id" uuid NOT NULL,
	"directory_scope_id" text DEFAULT '/' NOT NULL,
	"member_type" "member_type" DEFAULT 'Direct' NOT NULL,
	"status" "schedule_status" DEFAULT 'Provisioned' NOT NULL,
	"start_date_time" timestamp with time zone NOT NULL,
	"end_date_time" timestamp with time zone,
	"created_using" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expiring_notice_14d_at" timestamp with time zone,
	"expiring_notice_1d_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "role_settings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"role_definition_id" uuid NOT NULL,
	"directory_scope_id" text DEFAULT '/' NOT NULL,
	"activation_max_minutes" integer DEFAULT 480 NOT NULL,
	"activation_require_mfa" boolean DEFAULT false NOT NULL,
	"activation_require_justification" boolean DEFAULT true NOT NULL,
	"activation_require_ticket" boolean DEFAULT false NOT NULL,
	"approval_required" boolean DEFAULT false NOT NULL,
	"approval_stages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"allow_permanent_eligible" boolean DEFAULT true NOT NULL,
	"eligible_max_days" integer DEFAULT 365 NOT NULL,
	"allow_permanent_active" boolean DEFAULT true NOT NULL,
	"active_max_days" integer DEFAULT 180 NOT NULL,
	"active_require_mfa" boolean DEFAULT false NOT NULL,
	"active_require_justification" boolean DEFAULT true NOT NULL,
	"notifications" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "role_settings_activation_max" CHECK ("role_settings"."activation_max_minutes" between 30 and 1440)
);
--> statement-breakpoint
CREATE TABLE "schedule_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_type" "request_type" NOT NULL,
	"action" "request_action" NOT NULL,
	"status" "request_status" NOT NULL,
	"principal_id" uuid NOT NULL,
	"principal_type" "principal_type" NOT NULL,
	"role_definition_id" uuid NOT NULL,
	"directory_scope_id" text DEFAULT '/' NOT NULL,
	"requestor_id" uuid,
	"requestor_type" "principal_type",
	"justification" text,
	"ticket_number" text,
	"ticket_system" text,
	"start_date_time" timestamp with time zone,
	"expiration_type" "expiration_type" DEFAULT 'noExpiration' NOT NULL,
	"end_date_time" timestamp with time zone,
	"duration" text,
	"target_schedule_id" uuid,
	"eligibility_schedule_id" uuid,
	"approval_stages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"current_stage" integer DEFAULT 0 NOT NULL,
	"mfa_verified" boolean DEFAULT false NOT NULL,
	"failure_reason" text,
	"created_date_time" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_date_time" timestamp with time zone,
	"approval_deadline" timestamp with time zone,
	"client_ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "service_principal_secrets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_principal_id" uuid NOT NULL,
	"display_name" text NOT NULL,
	"secret_hash" text NOT NULL,
	"hint" text NOT NULL,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_principals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"app_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"display_name" text NOT NULL,
	"description" text,
	"account_enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_mfa" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"secret_encrypted" text,
	"pending_secret_encrypted" text,
	"enrolled_at" timestamp with time zone,
	"last_used_step" bigint,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"display_name" text NOT NULL,
	"user_principal_name" text NOT NULL,
	"mail" text,
	"job_title" text,
	"department" text,
	"password_hash" text,
	"account_enabled" boolean DEFAULT true NOT NULL,
	"manager_id" uuid,
	"oidc_issuer" text,
	"oidc_subject" text,
	"last_sign_in_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_review_decisions" ADD CONSTRAINT "access_review_decisions_review_id_access_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."access_reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_service_principal_id_service_principals_id_fk" FOREIGN KEY ("service_principal_id") REFERENCES "public"."service_principals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_decisions" ADD CONSTRAINT "approval_decisions_request_id_schedule_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."schedule_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignment_schedules" ADD CONSTRAINT "role_assignment_schedules_role_definition_id_role_definitions_id_fk" FOREIGN KEY ("role_definition_id") REFERENCES "public"."role_definitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignment_schedules" ADD CONSTRAINT "role_assignment_schedules_eligibility_schedule_id_role_eligibility_schedules_id_fk" FOREIGN KEY ("eligibility_schedule_id") REFERENCES "public"."role_eligibility_schedules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_eligibility_schedules" ADD CONSTRAINT "role_eligibility_schedules_role_definition_id_role_definitions_id_fk" FOREIGN KEY ("role_definition_id") REFERENCES "public"."role_definitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_settings" ADD CONSTRAINT "role_settings_role_definition_id_role_definitions_id_fk" FOREIGN KEY ("role_definition_id") REFERENCES "public"."role_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_requests" ADD CONSTRAINT "schedule_requests_role_definition_id_role_definitions_id_fk" FOREIGN KEY ("role_definition_id") REFERENCES "public"."role_definitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_principal_secrets" ADD CONSTRAINT "service_principal_secrets_service_principal_id_service_principals_id_fk" FOREIGN KEY ("service_principal_id") REFERENCES "public"."service_principals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_mfa" ADD CONSTRAINT "user_mfa_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "access_review_decisions_item_idx" ON "access_review_decisions" USING btree ("review_id","schedule_id");--> statement-breakpoint
CREATE INDEX "access_reviews_status_idx" ON "access_reviews" USING btree ("status","end_date_time");--> statement-breakpoint
CREATE UNIQUE INDEX "administrative_units_name_idx" ON "administrative_units" USING btree ("display_name");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_idx" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_user_idx" ON "api_tokens" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "approval_decisions_request_approver_idx" ON "approval_decisions" USING btree ("request_id","approver_id");--> statement-breakpoint
CREATE INDEX "approval_decisions_approver_idx" ON "approval_decisions" USING btree ("approver_id","decided_at");--> statement-breakpoint
CREATE INDEX "audit_created_idx" ON "audit_events" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "audit_events" USING btree ("actor_id","created_at","id");--> statement-breakpoint
CREATE INDEX "audit_target_idx" ON "audit_events" USING btree ("target_id","created_at","id");--> statement-breakpoint
CREATE INDEX "audit_role_idx" ON "audit_events" USING btree ("role_definition_id","created_at","id");--> statement-breakpoint
CREATE INDEX "audit_operation_idx" ON "audit_events" USING btree ("operation","created_at","id");--> statement-breakpoint
CREATE INDEX "audit_request_idx" ON "audit_events" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "auth_sessions_user_idx" ON "auth_sessions" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "group_members_user_idx" ON "group_members" USING btree ("user_id","group_id");--> statement-breakpoint
CREATE INDEX "groups_display_name_idx" ON "groups" USING btree ("display_name","id");--> statement-breakpoint
CREATE INDEX "notifications_recipient_idx" ON "notifications" USING btree ("recipient_user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "notifications_unread_idx" ON "notifications" USING btree ("recipient_user_id") WHERE "notifications"."read_at" is null;--> statement-breakpoint
CREATE INDEX "notifications_due_idx" ON "notifications" USING btree ("next_attempt_at") WHERE "notifications"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_dedupe_idx" ON "notifications" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "assignment_access_idx" ON "role_assignment_schedules" USING btree ("principal_id","role_definition_id","directory_scope_id","start_date_time","end_date_time");--> statement-breakpoint
CREATE INDEX "assignment_role_idx" ON "role_assignment_schedules" USING btree ("role_definition_id","status");--> statement-breakpoint
CREATE INDEX "assignment_due_idx" ON "role_assignment_schedules" USING btree ("end_date_time") WHERE "role_assignment_schedules"."status" in ('Provisioned','Granted');--> statement-breakpoint
CREATE INDEX "assignment_eligibility_idx" ON "role_assignment_schedules" USING btree ("eligibility_schedule_id");--> statement-breakpoint
CREATE INDEX "assignment_created_idx" ON "role_assignment_schedules" USING btree ("created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "assignment_one_live_activation_idx" ON "role_assignment_schedules" USING btree ("eligibility_schedule_id") WHERE "role_assignment_schedules"."assignment_type" = 'Activated' and "role_assignment_schedules"."status" in ('Provisioned','Granted');--> statement-breakpoint
CREATE UNIQUE INDEX "role_definitions_name_idx" ON "role_definitions" USING btree ("display_name");--> statement-breakpoint
CREATE INDEX "role_definitions_actions_gin" ON "role_definitions" USING gin ("allowed_resource_actions");--> statement-breakpoint
CREATE INDEX "eligibility_principal_idx" ON "role_eligibility_schedules" USING btree ("principal_id","role_definition_id","directory_scope_id");--> statement-breakpoint
CREATE INDEX "eligibility_role_idx" ON "role_eligibility_schedules" USING btree ("role_definition_id","status");--> statement-breakpoint
CREATE INDEX "eligibility_due_idx" ON "role_eligibility_schedules" USING btree ("end_date_time") WHERE "role_eligibility_schedules"."status" in ('Provisioned','Granted');--> statement-breakpoint
CREATE INDEX "eligibility_created_idx" ON "role_eligibility_schedules" USING btree ("created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "role_settings_role_scope_idx" ON "role_settings" USING btree ("role_definition_id","directory_scope_id");--> statement-breakpoint
CREATE INDEX "schedule_requests_principal_idx" ON "schedule_requests" USING btree ("principal_id","created_date_time");--> statement-breakpoint
CREATE INDEX "schedule_requests_status_idx" ON "schedule_requests" USING btree ("status","created_date_time");--> statement-breakpoint
CREATE INDEX "schedule_requests_pending_deadline_idx" ON "schedule_requests" USING btree ("approval_deadline") WHERE "schedule_requests"."status" = 'PendingApproval';--> statement-breakpoint
CREATE INDEX "schedule_requests_role_idx" ON "schedule_requests" USING btree ("role_definition_id","status");--> statement-breakpoint
CREATE INDEX "schedule_requests_created_idx" ON "schedule_requests" USING btree ("created_date_time","id");--> statement-breakpoint
CREATE INDEX "sp_secrets_sp_idx" ON "service_principal_secrets" USING btree ("service_principal_id");--> statement-breakpoint
CREATE UNIQUE INDEX "service_principals_app_id_idx" ON "service_principals" USING btree ("app_id");--> statement-breakpoint
CREATE INDEX "service_principals_name_idx" ON "service_principals" USING btree ("display_name","id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_upn_lower_idx" ON "users" USING btree (lower("user_principal_name"));--> statement-breakpoint
CREATE INDEX "users_mail_lower_idx" ON "users" USING btree (lower("mail"));--> statement-breakpoint
CREATE UNIQUE INDEX "users_oidc_idx" ON "users" USING btree ("oidc_issuer","oidc_subject");--> statement-breakpoint
CREATE INDEX "users_display_name_idx" ON "users" USING btree ("display_name","id");--> statement-breakpoint
CREATE INDEX "users_manager_idx" ON "users" USING btree ("manager_id");