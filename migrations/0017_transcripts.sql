-- Captions from speech (#15): each clip's transcript (language, words with start and end times on
-- the clip's timeline) beside its media row; the autopilot's "captions from speech" setting and a
-- post's own choice.
CREATE TABLE `media_transcripts` (
	`media_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`language` text,
	`words` text DEFAULT '[]' NOT NULL,
	`provider` text,
	`model` text,
	`error` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`edited_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`media_id`) REFERENCES `media`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	CHECK (`status` IN ('pending', 'done', 'failed'))
);
--> statement-breakpoint
CREATE INDEX `media_transcripts_status_idx` ON `media_transcripts` (`status`, `updated_at`);
--> statement-breakpoint
ALTER TABLE `posts` ADD `speech_captions` integer;
