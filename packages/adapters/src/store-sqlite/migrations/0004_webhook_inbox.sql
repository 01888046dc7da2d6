CREATE TABLE `webhook_events` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`source` text NOT NULL,
	`event_id` text NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`received_at` integer NOT NULL,
	`state` text NOT NULL,
	`failures` integer NOT NULL,
	`last_error` text,
	`failed_at` integer,
	`processed_at` integer,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_events_event_key` ON `webhook_events` (`tenant_id`,`source`,`event_id`);--> statement-breakpoint
CREATE INDEX `webhook_events_pending_idx` ON `webhook_events` (`tenant_id`,`processed_at`,`id`);