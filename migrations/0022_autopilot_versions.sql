-- The autopilot saved in D1 and the one its scheduler (the project's Durable Object) holds (#17):
-- every save adds one to config_version; applied_version is the last version the scheduler took.
-- A row whose applied_version is behind was saved while the scheduler could not be reached: the
-- sweeper hands that configuration to the scheduler (workers/sweeper/schedulers.ts).
ALTER TABLE `autopilots` ADD `config_version` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `autopilots` ADD `applied_version` integer DEFAULT 0 NOT NULL;
