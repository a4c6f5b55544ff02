-- Analytics (issue 12): what each published target earned, pulled on a decaying schedule.
-- metric_snapshots is append-only: one row per (target, metric, pull). metric_latest keeps each
-- target's newest value, metric_daily the per-project daily sums of what was earned (deltas
-- between pulls), split by the dimensions the dashboard groups by. metric_pulls is the pull
-- schedule of each target; platform_quotas counts calls per platform budget and window.
CREATE TABLE `metric_snapshots` (
	`post_id` text NOT NULL,
	`platform` text NOT NULL,
	`metric` text NOT NULL,
	`pull_index` integer NOT NULL,
	`project_id` text NOT NULL,
	`value` real NOT NULL,
	`pulled_at` text NOT NULL,
	PRIMARY KEY(`post_id`, `platform`, `metric`, `pull_index`),
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `metric_snapshots_project_pulled_idx` ON `metric_snapshots` (`project_id`,`pulled_at`);--> statement-breakpoint
CREATE TABLE `metric_latest` (
	`post_id` text NOT NULL,
	`platform` text NOT NULL,
	`metric` text NOT NULL,
	`project_id` text NOT NULL,
	`value` real NOT NULL,
	`pull_index` integer NOT NULL,
	`pulled_at` text NOT NULL,
	PRIMARY KEY(`post_id`, `platform`, `metric`),
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `metric_latest_project_metric_idx` ON `metric_latest` (`project_id`,`metric`,`value`);--> statement-breakpoint
CREATE TABLE `metric_daily` (
	`project_id` text NOT NULL,
	`day` text NOT NULL,
	`platform` text NOT NULL,
	`style` text NOT NULL,
	`weekday` integer NOT NULL,
	`hour` integer NOT NULL,
	`metric` text NOT NULL,
	`value` real NOT NULL,
	PRIMARY KEY(`project_id`, `day`, `platform`, `style`, `weekday`, `hour`, `metric`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `metric_pulls` (
	`post_id` text NOT NULL,
	`platform` text NOT NULL,
	`project_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`published_at` text NOT NULL,
	`next_index` integer DEFAULT 0 NOT NULL,
	`next_at` integer,
	`lease_until` integer,
	`last_pulled_at` text,
	`last_error` text,
	PRIMARY KEY(`post_id`, `platform`),
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `metric_pulls_project_next_idx` ON `metric_pulls` (`project_id`,`next_at`);--> statement-breakpoint
CREATE TABLE `platform_quotas` (
	`budget` text NOT NULL,
	`window` text NOT NULL,
	`used` integer NOT NULL,
	PRIMARY KEY(`budget`, `window`)
) WITHOUT ROWID;
