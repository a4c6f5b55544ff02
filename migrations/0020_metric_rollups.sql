-- Analytics (#12): coarse rollups for the dashboard. metric_daily (day × platform × style ×
-- weekday × hour × metric) has nearly a row per snapshot on a busy project, so summing 90 days
-- of it took ~650 ms. metric_rollup keeps the same sums per dimension ('all', 'style', 'weekday'
-- or 'hour', with its value in `key`; '' for 'all'), per platform and metric, in day buckets of
-- 1, 8 and 64 days (`start` = the bucket's first day; see workers/domain/day-buckets.ts): a range
-- is the disjoint union of a few buckets. Written in the same batch as the snapshot.
CREATE TABLE `metric_rollup` (
	`project_id` text NOT NULL,
	`dim` text NOT NULL,
	`span` integer NOT NULL,
	`start` text NOT NULL,
	`platform` text NOT NULL,
	`key` text NOT NULL,
	`metric` text NOT NULL,
	`value` real NOT NULL,
	PRIMARY KEY(`project_id`, `dim`, `span`, `start`, `platform`, `key`, `metric`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
-- What was already rolled up, carried over from metric_daily (day index = days since 1970-01-01).
INSERT INTO `metric_rollup` (`project_id`, `dim`, `span`, `start`, `platform`, `key`, `metric`, `value`)
SELECT d.project_id, k.dim, s.span,
       date('1970-01-01', printf('+%d days', (cast(round(julianday(d.day) - 2440587.5) as integer) / s.span) * s.span)),
       d.platform,
       CASE k.dim WHEN 'all' THEN '' WHEN 'style' THEN d.style WHEN 'weekday' THEN cast(d.weekday as text) ELSE cast(d.hour as text) END,
       d.metric, sum(d.value)
FROM metric_daily d,
     (SELECT 'all' AS dim UNION ALL SELECT 'style' UNION ALL SELECT 'weekday' UNION ALL SELECT 'hour') k,
     (SELECT 1 AS span UNION ALL SELECT 8 UNION ALL SELECT 64) s
GROUP BY 1, 2, 3, 4, 5, 6, 7;
