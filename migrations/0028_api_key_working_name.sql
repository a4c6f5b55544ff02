-- One working API key per name in a workspace, case aside, held by the database: the API's check
-- before its insert let two creates at once both pass. Keys already made twice under one name
-- keep working; the later ones get their id appended to their name, so the index can be made.
UPDATE `api_keys` SET `name` = `name` || ' (' || `id` || ')'
WHERE `revoked_at` IS NULL AND EXISTS (
  SELECT 1 FROM `api_keys` AS `earlier`
  WHERE `earlier`.`workspace_id` = `api_keys`.`workspace_id` AND `earlier`.`revoked_at` IS NULL
    AND lower(`earlier`.`name`) = lower(`api_keys`.`name`)
    AND (`earlier`.`created_at` < `api_keys`.`created_at` OR (`earlier`.`created_at` = `api_keys`.`created_at` AND `earlier`.`id` < `api_keys`.`id`))
);--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_working_name_unique` ON `api_keys` (`workspace_id`,lower("name")) WHERE "api_keys"."revoked_at" is null;
