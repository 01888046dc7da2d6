CREATE TABLE `payment_method_defaults` (
	`tenant_id` varchar(64) NOT NULL,
	`customer_id` varchar(64) NOT NULL,
	`gateway` varchar(32) NOT NULL,
	`method_id` varchar(64) NOT NULL,
	CONSTRAINT `payment_method_defaults_pk` PRIMARY KEY(`tenant_id`,`customer_id`,`gateway`)
);
--> statement-breakpoint
CREATE TABLE `payment_methods` (
	`tenant_id` varchar(64) NOT NULL,
	`id` varchar(64) NOT NULL,
	`customer_id` varchar(64) NOT NULL,
	`gateway` varchar(32) NOT NULL,
	`gateway_customer_id` varchar(255) NOT NULL,
	`gateway_method_id` varchar(255) NOT NULL,
	`kind` varchar(16) NOT NULL,
	`label` varchar(255) NOT NULL,
	`expires_month` int,
	`expires_year` int,
	`created_at` bigint NOT NULL,
	CONSTRAINT `payment_methods_pk` PRIMARY KEY(`tenant_id`,`id`),
	CONSTRAINT `payment_methods_token_key` UNIQUE(`tenant_id`,`gateway`,`gateway_method_id`)
);
--> statement-breakpoint
CREATE INDEX `payment_methods_customer_idx` ON `payment_methods` (`tenant_id`,`customer_id`,`gateway`,`id`);