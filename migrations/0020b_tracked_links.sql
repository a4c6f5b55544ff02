-- Tracked links (#13): a project's target URL, a short code per published post and platform
-- (`/l/:code` redirects to the URL), and the clicks it counted. No personal data: a visitor is a
-- keyed hash of (day, address, browser) kept only to count them once, deleted after a day;
-- counted clicks keep only their code and time.
ALTER TABLE `projects` ADD `link_url` text;
--> statement-breakpoint
CREATE TABLE `tracked_links` (
	`code` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`post_id` text NOT NULL,
	`platform` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tracked_links_post_platform_idx` ON `tracked_links` (`post_id`,`platform`);
--> statement-breakpoint
CREATE TABLE `link_clicks` (
	`code` text NOT NULL,
	`clicked_at` text NOT NULL,
	FOREIGN KEY (`code`) REFERENCES `tracked_links`(`code`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `link_clicks_code_idx` ON `link_clicks` (`code`,`clicked_at`);
--> statement-breakpoint
CREATE TABLE `link_visitors` (
	`code` text NOT NULL,
	`day` text NOT NULL,
	`visitor` text NOT NULL,
	`network` text NOT NULL,
	`clicked_at` text NOT NULL,
	PRIMARY KEY(`code`, `day`, `visitor`),
	FOREIGN KEY (`code`) REFERENCES `tracked_links`(`code`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `link_visitors_network_idx` ON `link_visitors` (`code`,`day`,`network`);
--> statement-breakpoint
CREATE INDEX `link_visitors_day_idx` ON `link_visitors` (`day`);
--> statement-breakpoint
-- A visitor seen for the first time that day is one click.
CREATE TRIGGER `link_visitor_counted` AFTER INSERT ON `link_visitors` BEGIN INSERT INTO `link_clicks` (`code`, `clicked_at`) VALUES (NEW.`code`, NEW.`clicked_at`); END;
