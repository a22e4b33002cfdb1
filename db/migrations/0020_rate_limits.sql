-- Rate limits shared by every instance (the portal's instances and the decision server): one row per key with
-- the current one-minute window and how much of it has been handed out. UNLOGGED: a crash forgets the counts,
-- which only resets the current minute; in exchange a grant writes no WAL.
CREATE UNLOGGED TABLE "rate_limit_windows" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"used" integer NOT NULL,
	"last_grant" integer NOT NULL
);
