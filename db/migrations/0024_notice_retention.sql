-- Notice retention (lib/pim/notifications/retention.ts): the jobs delete delivered notices and fanned-out events
-- older than NOTICE_RETENTION_DAYS, oldest first, in batches; these indexes find them without reading the rest.
CREATE INDEX IF NOT EXISTS "notifications_created_idx" ON "notifications" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "notification_events_created_idx" ON "notification_events" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "notification_bodies_created_idx" ON "notification_bodies" USING btree ("created_at");
