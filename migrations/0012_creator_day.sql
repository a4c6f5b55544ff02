-- The creator's day (#16): per-platform texts of a post, and drafts (posts without a time).
ALTER TABLE `posts` ADD `platform_texts` text;
--> statement-breakpoint
CREATE TABLE `post_drafts` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`project_id` text NOT NULL,
	`media_id` text,
	`caption` text,
	`hashtags` text DEFAULT '[]' NOT NULL,
	`platforms` text,
	`platform_texts` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`media_id`) REFERENCES `media`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `post_drafts_project_updated_idx` ON `post_drafts` (`project_id`,`updated_at`);
