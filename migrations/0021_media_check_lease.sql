-- Media checks joined across isolates (#11): the run that probes an item holds a lease on its row;
-- a complete that finds the lease held elsewhere waits for that run's verdict instead of probing again.
ALTER TABLE `media` ADD `check_lease_id` text;
--> statement-breakpoint
ALTER TABLE `media` ADD `check_lease_until` text;
