-- The inbox (#14): recent comments on published posts, each with a suggested reply and a state.
CREATE TABLE `inbox_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`project_id` text NOT NULL,
	`post_id` text NOT NULL,
	`platform` text NOT NULL,
	`remote_id` text NOT NULL,
	`author` text NOT NULL,
	`text` text NOT NULL,
	`published_at` text NOT NULL,
	`state` text DEFAULT 'new' NOT NULL,
	`suggested_reply` text,
	`suggested_by` text,
	`flags` text DEFAULT '[]' NOT NULL,
	`reply_text` text,
	`reply_remote_id` text,
	`replied_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_comments_remote_unique` ON `inbox_comments` (`project_id`,`platform`,`remote_id`);
--> statement-breakpoint
CREATE INDEX `inbox_comments_project_published_idx` ON `inbox_comments` (`project_id`,`published_at`);
