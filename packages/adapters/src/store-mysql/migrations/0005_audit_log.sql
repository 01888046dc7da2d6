CREATE TABLE `audit_entries` (
	`tenant_id` varchar(64) NOT NULL,
	`id` varchar(64) NOT NULL,
	`actor_kind` varchar(16) NOT NULL,
	`actor_id` varchar(128) NOT NULL,
	`action` varchar(128) NOT NULL,
	`target_type` varchar(64) NOT NULL,
	`target_id` varchar(128) NOT NULL,
	`details` mediumtext NOT NULL,
	`occurred_at` bigint NOT NULL,
	CONSTRAINT `audit_entries_pk` PRIMARY KEY(`tenant_id`,`id`)
);
--> statement-breakpoint
CREATE INDEX `audit_entries_time_idx` ON `audit_entries` (`tenant_id`,`occurred_at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_entries_target_idx` ON `audit_entries` (`tenant_id`,`target_type`,`target_id`,`occurred_at`,`id`);