-- connections.refresh_lease_until becomes ISO 8601 text, like every other time column
-- (workers/db/time.ts). A lease lasts 30 seconds, so dropping the ones in flight is harmless.
ALTER TABLE `connections` DROP COLUMN `refresh_lease_until`;
--> statement-breakpoint
ALTER TABLE `connections` ADD `refresh_lease_until` text;
