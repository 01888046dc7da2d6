CREATE TABLE `usage_samples` (
	`tenant_id` text NOT NULL,
	`service_id` text NOT NULL,
	`slot_at` integer NOT NULL,
	`bytes_in` integer NOT NULL,
	`bytes_out` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `service_id`, `slot_at`)
);
