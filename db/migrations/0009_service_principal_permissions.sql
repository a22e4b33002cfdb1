CREATE TABLE "service_principal_permissions" (
	"service_principal_id" uuid NOT NULL,
	"permission" text NOT NULL,
	"granted_by" uuid,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_principal_permissions_service_principal_id_permission_pk" PRIMARY KEY("service_principal_id","permission")
);
--> statement-breakpoint
ALTER TABLE "service_principal_permissions" ADD CONSTRAINT "service_principal_permissions_service_principal_id_service_principals_id_fk" FOREIGN KEY ("service_principal_id") REFERENCES "public"."service_principals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Permissions chosen for existing client secrets become the service principal's granted permissions.
INSERT INTO "service_principal_permissions" ("service_principal_id", "permission", "granted_at")
SELECT DISTINCT s."service_principal_id", p.permission, now()
FROM "service_principal_secrets" s, unnest(s."scopes") AS p(permission)
WHERE s."revoked_at" IS NULL AND p.permission <> 'User.Read'
ON CONFLICT DO NOTHING;
