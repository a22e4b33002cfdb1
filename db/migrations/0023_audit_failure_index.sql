-- The Activity page filtered on failures (and its capped total): the few failed events, newest first, without
-- reading the successes around them (a sequential scan for the total read ~100,000 rows per load at size L).
CREATE INDEX IF NOT EXISTS "audit_failure_idx" ON "audit_events" USING btree ("id") WHERE "audit_events"."result" = 'failure';
