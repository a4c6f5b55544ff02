-- Drafts keep what is drawn on the video (#18 via #16): the composer's hook, call to action,
-- framing, focus point and trim, as set when the draft was saved; scheduling the draft makes a
-- post with them. One JSON object (the API's field names); null: nothing set, the defaults.
ALTER TABLE `post_drafts` ADD `look` text;
