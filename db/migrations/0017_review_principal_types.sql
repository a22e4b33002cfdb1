-- Access reviews (issue 14): which kinds of principal a review covers. Graph's role review scopes filter on
-- `isof(principal,'microsoft.graph.user')` (or group / servicePrincipal); null = every kind (the portal's form).
ALTER TABLE "access_review_definitions" ADD COLUMN "principal_types" text[];--> statement-breakpoint
ALTER TABLE "access_review_definitions" ADD CONSTRAINT "access_review_definitions_principal_types" CHECK ("principal_types" IS NULL OR ("principal_types" <@ ARRAY['User', 'Group', 'ServicePrincipal']::text[] AND cardinality("principal_types") > 0));
