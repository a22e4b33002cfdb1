-- PIM for Groups (issue 15). A group brought under PIM gets two access definitions, "member" and "owner",
-- stored as role definitions tied to the group (group_id, access_id). Eligible/active membership and ownership
-- are then ordinary eligibility/assignment schedules of those definitions, so every rule, request, approval,
-- setting, audit row, notification and the expiry sweep of roles applies to them unchanged (the shape of
-- Microsoft's own privilegedAccess/aadGroups API: a group is a resource whose role definitions are Member
-- and Owner). The access check counts an active membership as being in the group while its window lasts.
ALTER TABLE "role_definitions" ADD COLUMN "group_id" uuid REFERENCES "groups"("id") ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE "role_definitions" ADD COLUMN "access_id" text;--> statement-breakpoint
ALTER TABLE "role_definitions" ADD CONSTRAINT "role_definitions_group_access" CHECK (("group_id" IS NULL AND "access_id" IS NULL) OR ("group_id" IS NOT NULL AND "access_id" IN ('member', 'owner')));--> statement-breakpoint
DROP INDEX "role_definitions_name_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "role_definitions_name_idx" ON "role_definitions" USING btree ("display_name") WHERE "role_definitions"."group_id" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "role_definitions_group_access_idx" ON "role_definitions" USING btree ("group_id","access_id") WHERE "role_definitions"."group_id" IS NOT NULL;
