CREATE TABLE `webhook_events` (
	`tenant_id` varchar(64) NOT NULL,
	`id` varchar(64) NOT NULL,
	`source` varchar(64) NOT NULL,
	`event_id` varchar(255) NOT NULL,
	`type` varchar(255) NOT NULL,
	`payload` mediumtext NOT NULL,
	`received_at` bigint NOT NULL,
	`state` varchar(16) NOT NULL,
	`failures` int NOT NULL,
	`last_error` text,
	`failed_at` bigint,
	`processed_at` bigint,
	CONSTRAINT `webhook_events_pk` PRIMARY KEY(`tenant_id`,`id`),
	CONSTRAINT `webhook_events_event_key` UNIQUE(`tenant_id`,`source`,`event_id`)
);
--> statement-breakpoint
CREATE INDEX `webhook_events_pending_idx` ON `webhook_events` (`tenant_id`,`processed_at`,`id`);