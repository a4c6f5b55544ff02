-- Learning autopilot (#13): why the planner gave a post its window part and style, and the arm it
-- counts for (`HH:MM-HH:MM|style`), so the evidence and the post's panel can say so.
ALTER TABLE `posts` ADD `choice_reason` text;
--> statement-breakpoint
ALTER TABLE `posts` ADD `choice_arm` text;
