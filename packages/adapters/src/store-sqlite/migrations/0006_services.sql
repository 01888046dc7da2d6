CREATE TABLE `services` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`subscription_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`provisioner` text NOT NULL,
	`external_ids` text NOT NULL,
	`state` text NOT NULL,
	`credentials_ciphertext` text,
	`credentials_key_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `services_subscription_key` ON `services` (`tenant_id`,`subscription_id`);--> statement-breakpoint
CREATE INDEX `services_customer_idx` ON `services` (`tenant_id`,`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `services_state_idx` ON `services` (`tenant_id`,`state`,`id`);