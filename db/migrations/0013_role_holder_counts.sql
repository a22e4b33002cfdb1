-- Roles page: how many principals hold each role, maintained instead of counted per load (issue 10).
-- role_holder_schedules: per (kind, role, principal), how many schedules in status Provisioned/Granted exist.
-- role_holder_counts:    per (kind, role), how many principals have at least one (the distinct holders).
-- Both are kept by statement triggers on the schedule tables, in the writing transaction (COPY included: ENABLE
-- ALWAYS). Concurrent writers serialise on the (kind, role, principal) row through INSERT ... ON CONFLICT DO
-- UPDATE, so a principal is counted once whichever transaction commits first. Status is the sweep's record only:
-- the Roles page subtracts, at the moment of the read, the holders none of whose schedules covers now (ended but
-- not swept yet, or starting later), a set bounded by the sweep's lag and the scheduled starts, read through
-- *_due_idx and *_in_force_start_idx.
CREATE TABLE "role_holder_schedules" (
	"kind" text NOT NULL,
	"role_definition_id" uuid NOT NULL,
	"principal_id" uuid NOT NULL,
	"schedules" integer NOT NULL,
	CONSTRAINT "role_holder_schedules_pkey" PRIMARY KEY ("kind", "role_definition_id", "principal_id")
);
--> statement-breakpoint
CREATE TABLE "role_holder_counts" (
	"kind" text NOT NULL,
	"role_definition_id" uuid NOT NULL,
	"holders" integer NOT NULL,
	CONSTRAINT "role_holder_counts_pkey" PRIMARY KEY ("kind", "role_definition_id")
);
--> statement-breakpoint
-- Overview: role activations per UTC day of their start (Activated, not Canceled), kept by the same triggers, so
-- the chart reads 29 rows and today's activations (an index range of one day) instead of 30 days of activations.
CREATE TABLE "activation_days" (
	"day" date PRIMARY KEY NOT NULL,
	"activations" integer NOT NULL
);
--> statement-breakpoint
-- Applies per-(role, principal) deltas of in-force schedules; a principal going 0 -> n adds a holder, n -> 0 removes one.
CREATE OR REPLACE FUNCTION pim_role_holders_apply(k text, rs uuid[], ps uuid[], ns integer[]) RETURNS void AS $$
  WITH d AS (SELECT r, p, n FROM unnest(rs, ps, ns) AS d(r, p, n)),
  up AS (
    INSERT INTO role_holder_schedules AS h (kind, role_definition_id, principal_id, schedules)
    SELECT k, r, p, n FROM d ORDER BY r, p
    ON CONFLICT (kind, role_definition_id, principal_id) DO UPDATE SET schedules = h.schedules + excluded.schedules
    RETURNING h.role_definition_id AS r, h.principal_id AS p, h.schedules AS after),
  moved AS (
    SELECT up.r, sum(CASE WHEN up.after - d.n <= 0 AND up.after > 0 THEN 1
                          WHEN up.after - d.n > 0 AND up.after <= 0 THEN -1 ELSE 0 END)::int AS dh
      FROM up JOIN d ON d.r = up.r AND d.p = up.p
     GROUP BY up.r)
  INSERT INTO role_holder_counts AS c (kind, role_definition_id, holders)
  SELECT k, r, dh FROM moved WHERE dh <> 0 ORDER BY r
  ON CONFLICT (kind, role_definition_id) DO UPDATE SET holders = c.holders + excluded.holders;
$$ LANGUAGE sql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION pim_role_holders_keep() RETURNS trigger AS $$
DECLARE
  k text := CASE TG_TABLE_NAME WHEN 'role_eligibility_schedules' THEN 'eligibility' ELSE 'assignment' END;
  rs uuid[];
  ps uuid[];
  ns integer[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(r), array_agg(p), array_agg(n) INTO rs, ps, ns FROM (
      SELECT role_definition_id AS r, principal_id AS p, count(*)::int AS n FROM new_rows
       WHERE status IN ('Provisioned', 'Granted') GROUP BY 1, 2) x;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(r), array_agg(p), array_agg(n) INTO rs, ps, ns FROM (
      SELECT role_definition_id AS r, principal_id AS p, -count(*)::int AS n FROM old_rows
       WHERE status IN ('Provisioned', 'Granted') GROUP BY 1, 2) x;
  ELSE
    SELECT array_agg(r), array_agg(p), array_agg(n) INTO rs, ps, ns FROM (
      SELECT r, p, sum(n)::int AS n FROM (
        SELECT role_definition_id AS r, principal_id AS p, 1 AS n FROM new_rows WHERE status IN ('Provisioned', 'Granted')
        UNION ALL
        SELECT role_definition_id, principal_id, -1 FROM old_rows WHERE status IN ('Provisioned', 'Granted')) y
       GROUP BY r, p HAVING sum(n) <> 0) x;
  END IF;
  IF rs IS NOT NULL THEN
    PERFORM pim_role_holders_apply(k, rs, ps, ns);
  END IF;
  IF k = 'assignment' THEN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO activation_days AS a (day, activations)
      SELECT (start_date_time AT TIME ZONE 'UTC')::date, count(*)::int FROM new_rows
       WHERE assignment_type = 'Activated' AND status <> 'Canceled' GROUP BY 1 ORDER BY 1
      ON CONFLICT (day) DO UPDATE SET activations = a.activations + excluded.activations;
    ELSIF TG_OP = 'UPDATE' THEN
      INSERT INTO activation_days AS a (day, activations)
      SELECT day, sum(n)::int FROM (
        SELECT (start_date_time AT TIME ZONE 'UTC')::date AS day, -1 AS n FROM old_rows
         WHERE assignment_type = 'Activated' AND status <> 'Canceled'
        UNION ALL
        SELECT (start_date_time AT TIME ZONE 'UTC')::date, 1 FROM new_rows
         WHERE assignment_type = 'Activated' AND status <> 'Canceled') d
       GROUP BY day HAVING sum(n) <> 0 ORDER BY day
      ON CONFLICT (day) DO UPDATE SET activations = a.activations + excluded.activations;
    ELSE
      INSERT INTO activation_days AS a (day, activations)
      SELECT (start_date_time AT TIME ZONE 'UTC')::date, -count(*)::int FROM old_rows
       WHERE assignment_type = 'Activated' AND status <> 'Canceled' GROUP BY 1 ORDER BY 1
      ON CONFLICT (day) DO UPDATE SET activations = a.activations + excluded.activations;
    END IF;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER role_eligibility_schedules_holders_ins AFTER INSERT ON role_eligibility_schedules
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pim_role_holders_keep();
--> statement-breakpoint
CREATE TRIGGER role_eligibility_schedules_holders_upd AFTER UPDATE ON role_eligibility_schedules
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pim_role_holders_keep();
--> statement-breakpoint
CREATE TRIGGER role_eligibility_schedules_holders_del AFTER DELETE ON role_eligibility_schedules
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pim_role_holders_keep();
--> statement-breakpoint
CREATE TRIGGER role_assignment_schedules_holders_ins AFTER INSERT ON role_assignment_schedules
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pim_role_holders_keep();
--> statement-breakpoint
CREATE TRIGGER role_assignment_schedules_holders_upd AFTER UPDATE ON role_assignment_schedules
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pim_role_holders_keep();
--> statement-breakpoint
CREATE TRIGGER role_assignment_schedules_holders_del AFTER DELETE ON role_assignment_schedules
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pim_role_holders_keep();
--> statement-breakpoint
ALTER TABLE role_eligibility_schedules ENABLE ALWAYS TRIGGER role_eligibility_schedules_holders_ins;
--> statement-breakpoint
ALTER TABLE role_eligibility_schedules ENABLE ALWAYS TRIGGER role_eligibility_schedules_holders_upd;
--> statement-breakpoint
ALTER TABLE role_eligibility_schedules ENABLE ALWAYS TRIGGER role_eligibility_schedules_holders_del;
--> statement-breakpoint
ALTER TABLE role_assignment_schedules ENABLE ALWAYS TRIGGER role_assignment_schedules_holders_ins;
--> statement-breakpoint
ALTER TABLE role_assignment_schedules ENABLE ALWAYS TRIGGER role_assignment_schedules_holders_upd;
--> statement-breakpoint
ALTER TABLE role_assignment_schedules ENABLE ALWAYS TRIGGER role_assignment_schedules_holders_del;
--> statement-breakpoint
INSERT INTO role_holder_schedules (kind, role_definition_id, principal_id, schedules)
SELECT 'eligibility', role_definition_id, principal_id, count(*)::int FROM role_eligibility_schedules
 WHERE status IN ('Provisioned', 'Granted') GROUP BY 2, 3;
--> statement-breakpoint
INSERT INTO role_holder_schedules (kind, role_definition_id, principal_id, schedules)
SELECT 'assignment', role_definition_id, principal_id, count(*)::int FROM role_assignment_schedules
 WHERE status IN ('Provisioned', 'Granted') GROUP BY 2, 3;
--> statement-breakpoint
INSERT INTO role_holder_counts (kind, role_definition_id, holders)
SELECT kind, role_definition_id, count(*)::int FROM role_holder_schedules WHERE schedules > 0 GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO activation_days (day, activations)
SELECT (start_date_time AT TIME ZONE 'UTC')::date, count(*)::int FROM role_assignment_schedules
 WHERE assignment_type = 'Activated' AND status <> 'Canceled' GROUP BY 1;
--> statement-breakpoint
-- Schedules in force by status that start later (scheduled activations, future eligibilities): the Roles page
-- reads them by start to leave their holders out until they start.
CREATE INDEX "eligibility_in_force_start_idx" ON "role_eligibility_schedules" USING btree ("start_date_time") WHERE "role_eligibility_schedules"."status" in ('Provisioned','Granted');
--> statement-breakpoint
CREATE INDEX "assignment_in_force_start_idx" ON "role_assignment_schedules" USING btree ("start_date_time") WHERE "role_assignment_schedules"."status" in ('Provisioned','Granted');
