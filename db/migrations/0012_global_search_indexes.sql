CREATE INDEX "groups_name_search_idx" ON "groups" USING btree ((lower("display_name") collate "C"),"id");--> statement-breakpoint
CREATE INDEX "users_name_search_idx" ON "users" USING btree ((lower("display_name") collate "C"),"id");--> statement-breakpoint
CREATE INDEX "users_upn_search_idx" ON "users" USING btree ((lower("user_principal_name") collate "C"),"id");