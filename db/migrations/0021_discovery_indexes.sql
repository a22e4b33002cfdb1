-- Discovery and insights (issue 10, size L): "Eliminate standing access" lists the permanent active assignments
-- of privileged roles in (role name, member name) order, and "Service principals with privileged roles" lists
-- the service principals' assignments. Without these the page read every permanent assignment (27,683 at L) and
-- every privileged role's assignment (55,594) to show 100 rows: 125 ms of its 157 ms. Both partial indexes leave
-- activations out (they are neither permanent Assigned rows nor service principals'), so activating costs nothing more.
CREATE INDEX "assignment_standing_idx" ON "role_assignment_schedules" USING btree ("role_name","principal_name","id") INCLUDE ("role_definition_id","principal_type","start_date_time") WHERE "role_assignment_schedules"."assignment_type" = 'Assigned' and "role_assignment_schedules"."end_date_time" is null and "role_assignment_schedules"."status" in ('Provisioned','Granted');--> statement-breakpoint
CREATE INDEX "assignment_service_principal_idx" ON "role_assignment_schedules" USING btree ("principal_name","id") WHERE "role_assignment_schedules"."principal_type" = 'ServicePrincipal' and "role_assignment_schedules"."status" in ('Provisioned','Granted');
