CREATE TABLE `services` (
	`tenant_id` varchar(64) NOT NULL,
	`id` varchar(64) NOT NULL,
	`subscription_id` varchar(64) NOT NULL,
	`customer_id` varchar(64) NOT NULL,
	`provisioner` varchar(32) NOT NULL,
	`external_ids` text NOT NULL,
	`state` varchar(16) NOT NULL,
	`credentials_ciphertext` text,
	`credentials_key_id` varchar(64),
	`created_at` bigint NOT NULL,
	`updated_at` bigint NOT NULL,
	`version` int NOT NULL,
	CONSTRAINT `services_pk` PRIMARY KEY(`tenant_id`,`id`),
	CONSTRAINT `services_subscription_key` UNIQUE(`tenant_id`,`subscription_id`)
);
--> statement-breakpoint
CREATE INDEX `services_customer_idx` ON `services` (`tenant_id`,`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `services_state_idx` ON `services` (`tenant_id`,`state`,`id`);