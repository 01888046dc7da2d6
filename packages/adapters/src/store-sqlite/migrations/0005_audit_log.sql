CREATE TABLE `audit_entries` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`actor_kind` text NOT NULL,
	`actor_id` text NOT NULL,
	`action` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text NOT NULL,
	`details` text NOT NULL,
	`occurred_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `audit_entries_time_idx` ON `audit_entries` (`tenant_id`,`occurred_at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_entries_target_idx` ON `audit_entries` (`tenant_id`,`target_type`,`target_id`,`occurred_at`,`id`);