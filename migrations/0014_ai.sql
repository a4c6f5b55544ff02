-- AI assistant (#14): usage per workspace, day and provider; who wrote each post's texts.
CREATE TABLE `ai_usage` (
	`workspace_id` text NOT NULL,
	`day` text NOT NULL,
	`provider` text NOT NULL,
	`calls` integer DEFAULT 0 NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`fallbacks` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`workspace_id`, `day`, `provider`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `posts` ADD `texts_provider` text;
