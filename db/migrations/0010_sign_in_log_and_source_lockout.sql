CREATE TYPE "public"."sign_in_kind" AS ENUM('password', 'oidc', 'mfa');--> statement-breakpoint
CREATE TYPE "public"."sign_in_result" AS ENUM('success', 'failure', 'locked');--> statement-breakpoint
CREATE TABLE "sign_in_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"user_id" uuid,
	"identifier" text,
	"kind" "sign_in_kind" NOT NULL,
	"result" "sign_in_result" NOT NULL,
	"reason" text,
	"client_ip" text,
	"user_agent" text,
	"session_id" uuid
);
--> statement-breakpoint
CREATE TABLE "sign_in_lockouts" (
	"account" text NOT NULL,
	"source" text NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sign_in_lockouts_account_source_pk" PRIMARY KEY("account","source")
);
--> statement-breakpoint
CREATE INDEX "sign_in_events_at_idx" ON "sign_in_events" USING btree ("at","id");--> statement-breakpoint
CREATE INDEX "sign_in_events_user_idx" ON "sign_in_events" USING btree ("user_id","at","id");--> statement-breakpoint
CREATE INDEX "sign_in_events_familiar_idx" ON "sign_in_events" USING btree ("user_id","client_ip") WHERE kind = 'password' and result = 'success';--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "password_failures";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "password_locked_until";