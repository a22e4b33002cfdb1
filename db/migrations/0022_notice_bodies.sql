-- A notice's body once per audience, not once per recipient (issue 10, self-activation): an activation tells
-- ~400 GA/PRA holders the same thing, and each notice carried its own ~2.9 kB copy of the text and HTML (1.2 MB
-- written per activation at L, inside the fan-out that runs beside the next activations). The fan-out now writes
-- the audience's rendered parts once, keyed by their sha256 (so a retried fan-out adds none),
-- and each notice keeps only its greeting ("Hello <name>,"); readers join the parts back
-- (lib/pim/notifications/notice-body.ts). Notices written one by one (governance, webhooks, audit duties) keep
-- their whole body as before.
CREATE TABLE "notification_bodies" (
	"key" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"text_pre" text NOT NULL,
	"text_post" text NOT NULL,
	"html_pre" text NOT NULL,
	"html_post" text NOT NULL
);--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "body_key" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "greeting" text;--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "body_text" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "body_html" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_body_check" CHECK (("body_text" IS NOT NULL AND "body_html" IS NOT NULL) OR ("body_key" IS NOT NULL AND "greeting" IS NOT NULL));
