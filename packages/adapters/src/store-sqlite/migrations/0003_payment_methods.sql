CREATE TABLE `payment_method_defaults` (
	`tenant_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`gateway` text NOT NULL,
	`method_id` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `customer_id`, `gateway`)
);
--> statement-breakpoint
CREATE TABLE `payment_methods` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`customer_id` text NOT NULL,
	`gateway` text NOT NULL,
	`gateway_customer_id` text NOT NULL,
	`gateway_method_id` text NOT NULL,
	`kind` text NOT NULL,
	`label` text NOT NULL,
	`expires_month` integer,
	`expires_year` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payment_methods_token_key` ON `payment_methods` (`tenant_id`,`gateway`,`gateway_method_id`);--> statement-breakpoint
CREATE INDEX `payment_methods_customer_idx` ON `payment_methods` (`tenant_id`,`customer_id`,`gateway`,`id`);