CREATE TABLE `connections` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`project_id` text NOT NULL,
	`platform` text NOT NULL,
	`mode` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`status_reason` text,
	`account_id` text,
	`account_name` text,
	`avatar_url` text,
	`scopes` text,
	`access_token` text,
	`refresh_token` text,
	`access_token_expires_at` integer,
	`token_version` integer DEFAULT 0 NOT NULL,
	`refresh_lease_until` integer,
	`refresh_lease_id` text,
	`refreshed_at` text,
	`sandbox_faults` text DEFAULT '[]' NOT NULL,
	`connected_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`connected_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `connections_project_platform_unique` ON `connections` (`project_id`,`platform`);--> statement-breakpoint
CREATE INDEX `connections_workspace_idx` ON `connections` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `sandbox_posts` (
	`id` text PRIMARY KEY NOT NULL,
	`connection_id` text NOT NULL,
	`platform` text NOT NULL,
	`marker` text NOT NULL,
	`title` text NOT NULL,
	`video_key` text,
	`size` integer NOT NULL,
	`ready_at` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`connection_id`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sandbox_posts_connection_marker_idx` ON `sandbox_posts` (`connection_id`,`marker`);