-- Issue 18: texts from the content, framing, trim and brand.
-- A clip's topic (its title already exists); the project's brand and default framing; a post's
-- own framing, focus point and trim. NULL on a post means the project's default (or the whole clip).
ALTER TABLE `media` ADD `topic` text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE `projects` ADD `brand_color` text;
--> statement-breakpoint
ALTER TABLE `projects` ADD `font` text;
--> statement-breakpoint
ALTER TABLE `projects` ADD `logo_media_id` text REFERENCES media(id) ON DELETE SET NULL;
--> statement-breakpoint
ALTER TABLE `projects` ADD `framing` text DEFAULT 'auto' NOT NULL;
--> statement-breakpoint
ALTER TABLE `posts` ADD `framing` text;
--> statement-breakpoint
ALTER TABLE `posts` ADD `focus_x` real;
--> statement-breakpoint
ALTER TABLE `posts` ADD `focus_y` real;
--> statement-breakpoint
ALTER TABLE `posts` ADD `trim_start_sec` real;
--> statement-breakpoint
ALTER TABLE `posts` ADD `trim_end_sec` real;
--> statement-breakpoint
-- Titles that were only a file name stem (IMG_1234, landscape) are not titles: the creator names the clip.
UPDATE `media` SET `title` = '' WHERE `title` = 'Untitled'
  OR lower(`title`) IN ('landscape', 'portrait', 'video', 'clip', 'movie', 'test', 'final', 'untitled')
  OR `title` GLOB '[Ii][Mm][Gg]_[0-9]*' OR `title` GLOB '[Vv][Ii][Dd]_[0-9]*' OR `title` GLOB '[Dd][Ss][Cc]*[0-9]*' OR `title` GLOB '[Pp][Xx][Ll]_[0-9]*';
