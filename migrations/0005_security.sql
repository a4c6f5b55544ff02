-- Security (#11). API keys follow their creator: a key acts with the lower of its own role and
-- its creator's current role, and removing a member revokes the keys they made (the reason is kept).
ALTER TABLE `api_keys` ADD `revoked_reason` text;
--> statement-breakpoint
-- Keys no person answers for any more (made by a key before keys recorded their person, or whose
-- creator already left) stop working now, saying why.
UPDATE `api_keys` SET `revoked_at` = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
  `revoked_reason` = 'Revoked: the person who made it is no longer a member of this workspace.'
WHERE `revoked_at` IS NULL AND (`created_by` IS NULL OR NOT EXISTS (
  SELECT 1 FROM `members` WHERE `members`.`workspace_id` = `api_keys`.`workspace_id` AND `members`.`user_id` = `api_keys`.`created_by`));
--> statement-breakpoint
-- OAuth states are single-use: the nonce of each state brought back to a callback.
CREATE TABLE `oauth_states_used` (
	`nonce` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
