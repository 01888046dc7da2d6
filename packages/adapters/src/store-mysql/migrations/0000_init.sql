CREATE TABLE `account_balances` (
	`tenant_id` varchar(64) NOT NULL,
	`customer_id` varchar(64) NOT NULL,
	`currency` char(3) NOT NULL,
	`balance_minor` bigint NOT NULL,
	CONSTRAINT `account_balances_pk` PRIMARY KEY(`tenant_id`,`customer_id`,`currency`),
	CONSTRAINT `account_balances_never_negative` CHECK(balance_minor >= 0)
);
--> statement-breakpoint
CREATE TABLE `catalogs` (
	`tenant_id` varchar(64) NOT NULL,
	`document` mediumtext NOT NULL,
	CONSTRAINT `catalogs_tenant_id` PRIMARY KEY(`tenant_id`)
);
--> statement-breakpoint
CREATE TABLE `coupon_redemptions` (
	`tenant_id` varchar(64) NOT NULL,
	`id` varchar(64) NOT NULL,
	`coupon_id` varchar(64) NOT NULL,
	`customer_id` varchar(64) NOT NULL,
	`subscription_id` varchar(64),
	`redeemed_at` bigint NOT NULL,
	`once_customer_id` varchar(64),
	CONSTRAINT `coupon_redemptions_pk` PRIMARY KEY(`tenant_id`,`id`),
	CONSTRAINT `coupon_redemptions_once_key` UNIQUE(`tenant_id`,`coupon_id`,`once_customer_id`)
);
--> statement-breakpoint
CREATE TABLE `coupons` (
	`tenant_id` varchar(64) NOT NULL,
	`id` varchar(64) NOT NULL,
	`code` varchar(64) NOT NULL,
	`max_redemptions` int,
	`once_per_customer` boolean NOT NULL,
	`redemption_count` int NOT NULL,
	`document` mediumtext NOT NULL,
	CONSTRAINT `coupons_pk` PRIMARY KEY(`tenant_id`,`id`),
	CONSTRAINT `coupons_code_key` UNIQUE(`tenant_id`,`code`)
);
--> statement-breakpoint
CREATE TABLE `credit_note_lines` (
	`tenant_id` varchar(64) NOT NULL,
	`credit_note_id` varchar(64) NOT NULL,
	`position` int NOT NULL,
	`invoice_line` int NOT NULL,
	`description` text NOT NULL,
	`net_minor` bigint NOT NULL,
	`tax_minor` bigint NOT NULL,
	`gross_minor` bigint NOT NULL,
	CONSTRAINT `credit_note_lines_pk` PRIMARY KEY(`tenant_id`,`credit_note_id`,`position`)
);
--> statement-breakpoint
CREATE TABLE `credit_notes` (
	`tenant_id` varchar(64) NOT NULL,
	`id` varchar(64) NOT NULL,
	`invoice_id` varchar(64) NOT NULL,
	`customer_id` varchar(64) NOT NULL,
	`number` varchar(64),
	`currency` char(3) NOT NULL,
	`issued_at` bigint NOT NULL,
	`reason` text NOT NULL,
	`net_minor` bigint NOT NULL,
	`tax_minor` bigint NOT NULL,
	`total_minor` bigint NOT NULL,
	`insert_order` varchar(32) NOT NULL,
	CONSTRAINT `credit_notes_pk` PRIMARY KEY(`tenant_id`,`id`),
	CONSTRAINT `credit_notes_number_key` UNIQUE(`tenant_id`,`number`)
);
--> statement-breakpoint
CREATE TABLE `customers` (
	`tenant_id` varchar(64) NOT NULL,
	`id` varchar(64) NOT NULL,
	`name` varchar(255) NOT NULL,
	`email` varchar(255) NOT NULL,
	`country` char(2) NOT NULL,
	`region` varchar(64),
	`locality` varchar(128),
	`is_business` boolean NOT NULL,
	`vat_id` varchar(64),
	`tax_exempt_reason` varchar(255),
	`time_zone` varchar(64) NOT NULL,
	`currency` char(3) NOT NULL,
	`locale` varchar(35) NOT NULL,
	CONSTRAINT `customers_pk` PRIMARY KEY(`tenant_id`,`id`)
);
--> statement-breakpoint
CREATE TABLE `idempotency_records` (
	`tenant_id` varchar(64) NOT NULL,
	`idempotency_key` varchar(255) NOT NULL,
	`result` mediumtext NOT NULL,
	`created_at` bigint NOT NULL,
	CONSTRAINT `idempotency_records_pk` PRIMARY KEY(`tenant_id`,`idempotency_key`)
);
--> statement-breakpoint
CREATE TABLE `invoice_lines` (
	`tenant_id` varchar(64) NOT NULL,
	`invoice_id` varchar(64) NOT NULL,
	`position` int NOT NULL,
	`kind` varchar(32) NOT NULL,
	`description` text NOT NULL,
	`quantity` bigint NOT NULL,
	`unit_amount_minor` bigint NOT NULL,
	`amount_minor` bigint NOT NULL,
	`net_minor` bigint NOT NULL,
	`tax_minor` bigint NOT NULL,
	`gross_minor` bigint NOT NULL,
	`taxes` text NOT NULL,
	`period_start` char(10),
	`period_end` char(10),
	`item_id` varchar(64),
	`coupon_id` varchar(64),
	`reduces` text,
	CONSTRAINT `invoice_lines_pk` PRIMARY KEY(`tenant_id`,`invoice_id`,`position`)
);
--> statement-breakpoint
CREATE TABLE `invoices` (
	`tenant_id` varchar(64) NOT NULL,
	`id` varchar(64) NOT NULL,
	`customer_id` varchar(64) NOT NULL,
	`subscription_id` varchar(64),
	`kind` varchar(32) NOT NULL,
	`renewal_kind` varchar(32),
	`status` varchar(32) NOT NULL,
	`currency` char(3) NOT NULL,
	`number` varchar(64),
	`issued_at` bigint,
	`due_at` bigint NOT NULL,
	`paid_at` bigint,
	`voided_at` bigint,
	`period_start` char(10),
	`period_end` char(10),
	`pricing` varchar(16) NOT NULL,
	`tax_decision` text NOT NULL,
	`tax_summary` mediumtext NOT NULL,
	`notes` text NOT NULL,
	`subtotal_minor` bigint NOT NULL,
	`tax_minor` bigint NOT NULL,
	`total_minor` bigint NOT NULL,
	`discount_minor` bigint NOT NULL,
	`credit_applied_minor` bigint NOT NULL,
	`paid_minor` bigint NOT NULL,
	`refunded_minor` bigint NOT NULL,
	`credited_minor` bigint NOT NULL,
	CONSTRAINT `invoices_pk` PRIMARY KEY(`tenant_id`,`id`),
	CONSTRAINT `invoices_renewal_key` UNIQUE(`tenant_id`,`subscription_id`,`period_start`,`period_end`,`renewal_kind`),
	CONSTRAINT `invoices_number_key` UNIQUE(`tenant_id`,`number`)
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`tenant_id` varchar(64) NOT NULL,
	`id` varchar(64) NOT NULL,
	`kind` varchar(128) NOT NULL,
	`payload` mediumtext NOT NULL,
	`run_at` bigint NOT NULL,
	`dedupe_key` varchar(255),
	`state` varchar(16) NOT NULL,
	`attempts` int NOT NULL,
	`max_attempts` int NOT NULL,
	`last_error` text,
	`locked_by` varchar(255),
	`locked_until` bigint,
	CONSTRAINT `jobs_pk` PRIMARY KEY(`tenant_id`,`id`),
	CONSTRAINT `jobs_dedupe_key` UNIQUE(`tenant_id`,`dedupe_key`),
	CONSTRAINT `jobs_id_key` UNIQUE(`id`)
);
--> statement-breakpoint
CREATE TABLE `ledger_entries` (
	`tenant_id` varchar(64) NOT NULL,
	`id` varchar(64) NOT NULL,
	`customer_id` varchar(64) NOT NULL,
	`currency` char(3) NOT NULL,
	`amount_minor` bigint NOT NULL,
	`kind` varchar(32) NOT NULL,
	`invoice_id` varchar(64),
	`note` text,
	`occurred_at` bigint NOT NULL,
	`balance_after_minor` bigint NOT NULL,
	CONSTRAINT `ledger_entries_pk` PRIMARY KEY(`tenant_id`,`id`)
);
--> statement-breakpoint
CREATE TABLE `number_sequences` (
	`tenant_id` varchar(64) NOT NULL,
	`sequence_key` varchar(191) NOT NULL,
	`last_value` int NOT NULL,
	CONSTRAINT `number_sequences_pk` PRIMARY KEY(`tenant_id`,`sequence_key`)
);
--> statement-breakpoint
CREATE TABLE `payments` (
	`tenant_id` varchar(64) NOT NULL,
	`id` varchar(64) NOT NULL,
	`invoice_id` varchar(64) NOT NULL,
	`customer_id` varchar(64) NOT NULL,
	`currency` char(3) NOT NULL,
	`amount_minor` bigint NOT NULL,
	`status` varchar(32) NOT NULL,
	`gateway` varchar(32) NOT NULL,
	`charge_id` varchar(255),
	`idempotency_key` varchar(255) NOT NULL,
	`occurred_at` bigint NOT NULL,
	CONSTRAINT `payments_pk` PRIMARY KEY(`tenant_id`,`id`),
	CONSTRAINT `payments_idempotency_key` UNIQUE(`tenant_id`,`idempotency_key`)
);
--> statement-breakpoint
CREATE TABLE `refunds` (
	`tenant_id` varchar(64) NOT NULL,
	`id` varchar(64) NOT NULL,
	`payment_id` varchar(64) NOT NULL,
	`invoice_id` varchar(64) NOT NULL,
	`customer_id` varchar(64) NOT NULL,
	`currency` char(3) NOT NULL,
	`amount_minor` bigint NOT NULL,
	`destination` varchar(32) NOT NULL,
	`gateway_refund_id` varchar(255),
	`idempotency_key` varchar(255) NOT NULL,
	`occurred_at` bigint NOT NULL,
	CONSTRAINT `refunds_pk` PRIMARY KEY(`tenant_id`,`id`),
	CONSTRAINT `refunds_idempotency_key` UNIQUE(`tenant_id`,`idempotency_key`)
);
--> statement-breakpoint
CREATE TABLE `subscription_items` (
	`tenant_id` varchar(64) NOT NULL,
	`subscription_id` varchar(64) NOT NULL,
	`position` int NOT NULL,
	`kind` varchar(32) NOT NULL,
	`item_id` varchar(64) NOT NULL,
	`choice_id` varchar(64),
	`description` text NOT NULL,
	`cycle` varchar(32) NOT NULL,
	`quantity` bigint NOT NULL,
	`unit_amount_minor` bigint NOT NULL,
	`amount_minor` bigint NOT NULL,
	`setup_fee_minor` bigint NOT NULL,
	CONSTRAINT `subscription_items_pk` PRIMARY KEY(`tenant_id`,`subscription_id`,`position`)
);
--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`tenant_id` varchar(64) NOT NULL,
	`id` varchar(64) NOT NULL,
	`customer_id` varchar(64) NOT NULL,
	`product_id` varchar(64) NOT NULL,
	`product_kind` varchar(32) NOT NULL,
	`plan_id` varchar(64) NOT NULL,
	`currency` char(3) NOT NULL,
	`cycle` varchar(32) NOT NULL,
	`pricing` varchar(16) NOT NULL,
	`time_zone` varchar(64) NOT NULL,
	`anchor` char(10) NOT NULL,
	`current_period_start` char(10),
	`current_period_end` char(10),
	`next_renewal_at` bigint,
	`coupons` text NOT NULL,
	`invoiced_periods` int NOT NULL,
	`status` varchar(32) NOT NULL,
	`suspension_reason` varchar(32),
	`suspended_at` bigint,
	`cancellation_mode` varchar(32),
	`cancellation_reason` varchar(255),
	`cancellation_requested_at` bigint,
	`cancellation_effective_at` bigint,
	`trial_ends_at` bigint,
	`created_at` bigint NOT NULL,
	`version` int NOT NULL,
	CONSTRAINT `subscriptions_pk` PRIMARY KEY(`tenant_id`,`id`)
);
--> statement-breakpoint
CREATE TABLE `tenants` (
	`tenant_id` varchar(64) NOT NULL,
	`name` varchar(255) NOT NULL,
	`settings` mediumtext NOT NULL,
	CONSTRAINT `tenants_tenant_id` PRIMARY KEY(`tenant_id`)
);
--> statement-breakpoint
CREATE INDEX `coupon_redemptions_customer_idx` ON `coupon_redemptions` (`tenant_id`,`coupon_id`,`customer_id`);--> statement-breakpoint
CREATE INDEX `credit_notes_invoice_idx` ON `credit_notes` (`tenant_id`,`invoice_id`,`insert_order`);--> statement-breakpoint
CREATE INDEX `customers_email_idx` ON `customers` (`tenant_id`,`email`);--> statement-breakpoint
CREATE INDEX `invoices_customer_idx` ON `invoices` (`tenant_id`,`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `invoices_status_due_idx` ON `invoices` (`tenant_id`,`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `invoices_issued_idx` ON `invoices` (`tenant_id`,`issued_at`);--> statement-breakpoint
CREATE INDEX `jobs_tenant_state_idx` ON `jobs` (`tenant_id`,`state`,`id`);--> statement-breakpoint
CREATE INDEX `jobs_due_idx` ON `jobs` (`state`,`run_at`,`id`);--> statement-breakpoint
CREATE INDEX `jobs_lease_idx` ON `jobs` (`state`,`locked_until`);--> statement-breakpoint
CREATE INDEX `ledger_entries_customer_idx` ON `ledger_entries` (`tenant_id`,`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `payments_invoice_idx` ON `payments` (`tenant_id`,`invoice_id`,`id`);--> statement-breakpoint
CREATE INDEX `payments_occurred_idx` ON `payments` (`tenant_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `refunds_invoice_idx` ON `refunds` (`tenant_id`,`invoice_id`,`id`);--> statement-breakpoint
CREATE INDEX `refunds_payment_idx` ON `refunds` (`tenant_id`,`payment_id`);--> statement-breakpoint
CREATE INDEX `subscriptions_renewal_idx` ON `subscriptions` (`tenant_id`,`next_renewal_at`,`id`);--> statement-breakpoint
CREATE INDEX `subscriptions_customer_idx` ON `subscriptions` (`tenant_id`,`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `subscriptions_status_idx` ON `subscriptions` (`tenant_id`,`status`,`id`);