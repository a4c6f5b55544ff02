-- metric_pulls.next_at and lease_until become ISO 8601 text, like every other time column
-- (workers/db/time.ts). Both are kept: the epoch milliseconds are rewritten as the same instant.
DROP INDEX `metric_pulls_project_next_idx`;
--> statement-breakpoint
ALTER TABLE `metric_pulls` ADD `next_at_text` text;
--> statement-breakpoint
ALTER TABLE `metric_pulls` ADD `lease_until_text` text;
--> statement-breakpoint
UPDATE `metric_pulls` SET
  `next_at_text` = CASE WHEN `next_at` IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', `next_at` / 1000.0, 'unixepoch') END,
  `lease_until_text` = CASE WHEN `lease_until` IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', `lease_until` / 1000.0, 'unixepoch') END;
--> statement-breakpoint
ALTER TABLE `metric_pulls` DROP COLUMN `next_at`;
--> statement-breakpoint
ALTER TABLE `metric_pulls` DROP COLUMN `lease_until`;
--> statement-breakpoint
ALTER TABLE `metric_pulls` RENAME COLUMN `next_at_text` TO `next_at`;
--> statement-breakpoint
ALTER TABLE `metric_pulls` RENAME COLUMN `lease_until_text` TO `lease_until`;
--> statement-breakpoint
CREATE INDEX `metric_pulls_project_next_idx` ON `metric_pulls` (`project_id`, `next_at`);
