-- AI assistant (#14): streamed answers the person stopped still count (calls, tokens so far).
ALTER TABLE `ai_usage` ADD `canceled` integer DEFAULT 0 NOT NULL;
