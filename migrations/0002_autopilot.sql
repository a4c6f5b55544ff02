CREATE TABLE `autopilots` (
	`project_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`config` text NOT NULL,
	`enabled` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `post_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`post_id` text NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`type` text NOT NULL,
	`platform` text,
	`from_status` text,
	`to_status` text,
	`message` text,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `post_events_post_idx` ON `post_events` (`post_id`,`id`);--> statement-breakpoint
CREATE TABLE `post_targets` (
	`post_id` text NOT NULL,
	`platform` text NOT NULL,
	`workspace_id` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempt` integer DEFAULT 0 NOT NULL,
	`lease_until` text,
	`marker` text NOT NULL,
	`remote_id` text,
	`remote_url` text,
	`error_kind` text,
	`error` text,
	`state` text,
	`published_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	PRIMARY KEY(`post_id`, `platform`),
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `post_targets_status_updated_idx` ON `post_targets` (`status`,`updated_at`);--> statement-breakpoint
CREATE TABLE `posts` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`project_id` text NOT NULL,
	`media_id` text,
	`origin` text NOT NULL,
	`slot_key` text NOT NULL,
	`status` text NOT NULL,
	`scheduled_at` text NOT NULL,
	`language` text NOT NULL,
	`style` text NOT NULL,
	`objective` text NOT NULL,
	`require_approval` integer DEFAULT false NOT NULL,
	`hook` text,
	`caption` text,
	`hashtags` text DEFAULT '[]' NOT NULL,
	`call_to_action` text,
	`skip_reason` text,
	`error` text,
	`render_attempts` integer DEFAULT 0 NOT NULL,
	`lease_until` text,
	`render_key` text,
	`cover_key` text,
	`render_duration_sec` real,
	`render_width` integer,
	`render_height` integer,
	`render_size` integer,
	`render_sha256` text,
	`rendered_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`media_id`) REFERENCES `media`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `posts_project_slot_unique` ON `posts` (`project_id`,`slot_key`);--> statement-breakpoint
CREATE INDEX `posts_project_scheduled_idx` ON `posts` (`project_id`,`scheduled_at`,`id`);--> statement-breakpoint
CREATE INDEX `posts_status_updated_idx` ON `posts` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `posts_media_idx` ON `posts` (`media_id`);