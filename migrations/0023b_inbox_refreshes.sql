-- The inbox (#14): a refresh runs off the request (inbox-jobs queue); one row per project says how the last one went.
CREATE TABLE `inbox_refreshes` (
	`project_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`status` text NOT NULL,
	`requested_at` text NOT NULL,
	`started_at` text,
	`finished_at` text,
	`new_comments` integer DEFAULT 0 NOT NULL,
	`error` text,
	`platforms` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
