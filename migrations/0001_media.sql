CREATE TABLE `media` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`project_id` text NOT NULL,
	`key` text NOT NULL,
	`filename` text NOT NULL,
	`title` text NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`status` text DEFAULT 'uploading' NOT NULL,
	`rejection_reason` text,
	`upload_id` text,
	`part_size` integer,
	`kind` text,
	`duration_sec` real,
	`width` integer,
	`height` integer,
	`fps` real,
	`video_codec` text,
	`audio_codec` text,
	`has_audio` integer,
	`format_name` text,
	`bit_rate` integer,
	`thumbnail_key` text,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`completed_at` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `media_key_unique` ON `media` (`key`);--> statement-breakpoint
CREATE INDEX `media_project_created_idx` ON `media` (`project_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `media_workspace_status_idx` ON `media` (`workspace_id`,`status`);--> statement-breakpoint
CREATE INDEX `media_status_created_idx` ON `media` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `media_parts` (
	`media_id` text NOT NULL,
	`part_number` integer NOT NULL,
	`etag` text NOT NULL,
	`size` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`media_id`) REFERENCES `media`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `media_parts_media_part_unique` ON `media_parts` (`media_id`,`part_number`);