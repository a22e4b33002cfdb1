-- PIM for Groups (issue 15): the directory owners of a group (Entra's group owners). A group's owner may bring a
-- non-role-assignable group under PIM and, like an active PIM owner, manage the group's member assignments and
-- member settings. Standing ownership, as group_members is standing membership; PIM ownership stays a schedule.
CREATE TABLE "group_owners" (
	"group_id" uuid NOT NULL REFERENCES "groups"("id") ON DELETE CASCADE,
	"user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_owners_group_id_user_id_pk" PRIMARY KEY("group_id","user_id")
);--> statement-breakpoint
CREATE INDEX "group_owners_user_idx" ON "group_owners" USING btree ("user_id","group_id");
