CREATE TABLE "audit_activity_names" (
	"activity" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE "role_assignment_schedules" ADD COLUMN "role_name" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "role_assignment_schedules" ADD COLUMN "principal_name" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "role_eligibility_schedules" ADD COLUMN "role_name" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "role_eligibility_schedules" ADD COLUMN "principal_name" text DEFAULT '' NOT NULL;
--> statement-breakpoint
-- Sort keys of the Assignments blade, denormalised onto the schedules so a page is one index range read
-- (keyset on (role_name, principal_name, id)) instead of joining, sorting and counting the whole live set.
-- Kept by triggers: filled on insert and when a schedule changes principal or role, and carried over when a
-- user, group, service principal or role is renamed. No application write path has to remember them.
CREATE OR REPLACE FUNCTION pim_schedule_sort_names() RETURNS trigger AS $$
BEGIN
  NEW.role_name := coalesce((SELECT display_name FROM role_definitions WHERE id = NEW.role_definition_id), '');
  NEW.principal_name := coalesce(CASE NEW.principal_type::text
      WHEN 'User' THEN (SELECT display_name FROM users WHERE id = NEW.principal_id)
      WHEN 'Group' THEN (SELECT display_name FROM groups WHERE id = NEW.principal_id)
      ELSE (SELECT display_name FROM service_principals WHERE id = NEW.principal_id)
    END, NEW.principal_id::text);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER role_eligibility_schedules_sort_names BEFORE INSERT OR UPDATE OF principal_id, principal_type, role_definition_id
  ON role_eligibility_schedules FOR EACH ROW EXECUTE FUNCTION pim_schedule_sort_names();
--> statement-breakpoint
CREATE TRIGGER role_assignment_schedules_sort_names BEFORE INSERT OR UPDATE OF principal_id, principal_type, role_definition_id
  ON role_assignment_schedules FOR EACH ROW EXECUTE FUNCTION pim_schedule_sort_names();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION pim_principal_renamed() RETURNS trigger AS $$
BEGIN
  UPDATE role_eligibility_schedules SET principal_name = NEW.display_name
   WHERE principal_id = NEW.id AND principal_type::text = TG_ARGV[0];
  UPDATE role_assignment_schedules SET principal_name = NEW.display_name
   WHERE principal_id = NEW.id AND principal_type::text = TG_ARGV[0];
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER users_name_to_schedules AFTER UPDATE OF display_name ON users FOR EACH ROW
  WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name) EXECUTE FUNCTION pim_principal_renamed('User');
--> statement-breakpoint
CREATE TRIGGER groups_name_to_schedules AFTER UPDATE OF display_name ON groups FOR EACH ROW
  WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name) EXECUTE FUNCTION pim_principal_renamed('Group');
--> statement-breakpoint
CREATE TRIGGER service_principals_name_to_schedules AFTER UPDATE OF display_name ON service_principals FOR EACH ROW
  WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name) EXECUTE FUNCTION pim_principal_renamed('ServicePrincipal');
--> statement-breakpoint
CREATE OR REPLACE FUNCTION pim_role_renamed() RETURNS trigger AS $$
BEGIN
  UPDATE role_eligibility_schedules SET role_name = NEW.display_name WHERE role_definition_id = NEW.id;
  UPDATE role_assignment_schedules SET role_name = NEW.display_name WHERE role_definition_id = NEW.id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER role_definitions_name_to_schedules AFTER UPDATE OF display_name ON role_definitions FOR EACH ROW
  WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name) EXECUTE FUNCTION pim_role_renamed();
--> statement-breakpoint
-- ALWAYS: bulk loads that run with session_replication_role = replica (the bench generator) keep them too.
ALTER TABLE role_eligibility_schedules ENABLE ALWAYS TRIGGER role_eligibility_schedules_sort_names;
--> statement-breakpoint
ALTER TABLE role_assignment_schedules ENABLE ALWAYS TRIGGER role_assignment_schedules_sort_names;
--> statement-breakpoint
ALTER TABLE users ENABLE ALWAYS TRIGGER users_name_to_schedules;
--> statement-breakpoint
ALTER TABLE groups ENABLE ALWAYS TRIGGER groups_name_to_schedules;
--> statement-breakpoint
ALTER TABLE service_principals ENABLE ALWAYS TRIGGER service_principals_name_to_schedules;
--> statement-breakpoint
ALTER TABLE role_definitions ENABLE ALWAYS TRIGGER role_definitions_name_to_schedules;
--> statement-breakpoint
-- Existing rows: setting principal_id to itself runs the insert/update trigger once per row.
UPDATE role_eligibility_schedules SET principal_id = principal_id;
--> statement-breakpoint
UPDATE role_assignment_schedules SET principal_id = principal_id;
--> statement-breakpoint
-- The Activity filter's activity names, kept per inserting statement (one row per new name, COPY included).
CREATE OR REPLACE FUNCTION audit_activity_names_keep() RETURNS trigger AS $$
BEGIN
  INSERT INTO audit_activity_names (activity) SELECT DISTINCT activity FROM new_rows ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_events_activity_names AFTER INSERT ON audit_events REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION audit_activity_names_keep();
--> statement-breakpoint
ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_activity_names;
--> statement-breakpoint
INSERT INTO audit_activity_names (activity) SELECT DISTINCT activity FROM audit_events ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE INDEX "assignment_blade_idx" ON "role_assignment_schedules" USING btree ("role_name","principal_name","id") WHERE "role_assignment_schedules"."status" in ('Provisioned','Granted');
--> statement-breakpoint
CREATE INDEX "assignment_expired_end_idx" ON "role_assignment_schedules" USING btree ("end_date_time") WHERE "role_assignment_schedules"."status" = 'Expired';
--> statement-breakpoint
CREATE INDEX "assignment_activated_start_idx" ON "role_assignment_schedules" USING btree ("start_date_time","status") WHERE "role_assignment_schedules"."assignment_type" = 'Activated';
--> statement-breakpoint
CREATE INDEX "eligibility_blade_idx" ON "role_eligibility_schedules" USING btree ("role_name","principal_name","id") WHERE "role_eligibility_schedules"."status" in ('Provisioned','Granted');
--> statement-breakpoint
CREATE INDEX "eligibility_expired_end_idx" ON "role_eligibility_schedules" USING btree ("end_date_time") WHERE "role_eligibility_schedules"."status" = 'Expired';
