CREATE TABLE `account_balances` (
	`tenant_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`currency` text NOT NULL,
	`balance_minor` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `customer_id`, `currency`),
	CONSTRAINT "account_balances_never_negative" CHECK(balance_minor >= 0)
);
--> statement-breakpoint
CREATE TABLE `catalogs` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`document` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `coupon_redemptions` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`coupon_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`subscription_id` text,
	`redeemed_at` integer NOT NULL,
	`once_customer_id` text,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `coupon_redemptions_once_key` ON `coupon_redemptions` (`tenant_id`,`coupon_id`,`once_customer_id`);--> statement-breakpoint
CREATE INDEX `coupon_redemptions_customer_idx` ON `coupon_redemptions` (`tenant_id`,`coupon_id`,`customer_id`);--> statement-breakpoint
CREATE TABLE `coupons` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`code` text NOT NULL,
	`max_redemptions` integer,
	`once_per_customer` integer NOT NULL,
	`redemption_count` integer NOT NULL,
	`document` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `coupons_code_key` ON `coupons` (`tenant_id`,`code`);--> statement-breakpoint
CREATE TABLE `credit_note_lines` (
	`tenant_id` text NOT NULL,
	`credit_note_id` text NOT NULL,
	`position` integer NOT NULL,
	`invoice_line` integer NOT NULL,
	`description` text NOT NULL,
	`net_minor` integer NOT NULL,
	`tax_minor` integer NOT NULL,
	`gross_minor` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `credit_note_id`, `position`)
);
--> statement-breakpoint
CREATE TABLE `credit_notes` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`number` text,
	`currency` text NOT NULL,
	`issued_at` integer NOT NULL,
	`reason` text NOT NULL,
	`net_minor` integer NOT NULL,
	`tax_minor` integer NOT NULL,
	`total_minor` integer NOT NULL,
	`insert_order` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `credit_notes_number_key` ON `credit_notes` (`tenant_id`,`number`);--> statement-breakpoint
CREATE INDEX `credit_notes_invoice_idx` ON `credit_notes` (`tenant_id`,`invoice_id`,`insert_order`);--> statement-breakpoint
CREATE TABLE `customers` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`country` text NOT NULL,
	`region` text,
	`locality` text,
	`is_business` integer NOT NULL,
	`vat_id` text,
	`tax_exempt_reason` text,
	`time_zone` text NOT NULL,
	`currency` text NOT NULL,
	`locale` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `customers_email_idx` ON `customers` (`tenant_id`,`email`);--> statement-breakpoint
CREATE TABLE `idempotency_records` (
	`tenant_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`result` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `idempotency_key`)
);
--> statement-breakpoint
CREATE TABLE `invoice_lines` (
	`tenant_id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`description` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_amount_minor` integer NOT NULL,
	`amount_minor` integer NOT NULL,
	`net_minor` integer NOT NULL,
	`tax_minor` integer NOT NULL,
	`gross_minor` integer NOT NULL,
	`taxes` text NOT NULL,
	`period_start` text,
	`period_end` text,
	`item_id` text,
	`coupon_id` text,
	`reduces` text,
	PRIMARY KEY(`tenant_id`, `invoice_id`, `position`)
);
--> statement-breakpoint
CREATE TABLE `invoices` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`customer_id` text NOT NULL,
	`subscription_id` text,
	`kind` text NOT NULL,
	`renewal_kind` text,
	`status` text NOT NULL,
	`currency` text NOT NULL,
	`number` text,
	`issued_at` integer,
	`due_at` integer NOT NULL,
	`paid_at` integer,
	`voided_at` integer,
	`period_start` text,
	`period_end` text,
	`pricing` text NOT NULL,
	`tax_decision` text NOT NULL,
	`tax_summary` text NOT NULL,
	`notes` text NOT NULL,
	`subtotal_minor` integer NOT NULL,
	`tax_minor` integer NOT NULL,
	`total_minor` integer NOT NULL,
	`discount_minor` integer NOT NULL,
	`credit_applied_minor` integer NOT NULL,
	`paid_minor` integer NOT NULL,
	`refunded_minor` integer NOT NULL,
	`credited_minor` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_renewal_key` ON `invoices` (`tenant_id`,`subscription_id`,`period_start`,`period_end`,`renewal_kind`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_number_key` ON `invoices` (`tenant_id`,`number`);--> statement-breakpoint
CREATE INDEX `invoices_customer_idx` ON `invoices` (`tenant_id`,`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `invoices_status_due_idx` ON `invoices` (`tenant_id`,`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `invoices_issued_idx` ON `invoices` (`tenant_id`,`issued_at`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`run_at` integer NOT NULL,
	`dedupe_key` text,
	`state` text NOT NULL,
	`attempts` integer NOT NULL,
	`max_attempts` integer NOT NULL,
	`last_error` text,
	`locked_by` text,
	`locked_until` integer,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_dedupe_key` ON `jobs` (`tenant_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `jobs_tenant_state_idx` ON `jobs` (`tenant_id`,`state`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_id_key` ON `jobs` (`id`);--> statement-breakpoint
CREATE INDEX `jobs_due_idx` ON `jobs` (`state`,`run_at`,`id`);--> statement-breakpoint
CREATE INDEX `jobs_lease_idx` ON `jobs` (`state`,`locked_until`);--> statement-breakpoint
CREATE TABLE `ledger_entries` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`customer_id` text NOT NULL,
	`currency` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`kind` text NOT NULL,
	`invoice_id` text,
	`note` text,
	`occurred_at` integer NOT NULL,
	`balance_after_minor` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `ledger_entries_customer_idx` ON `ledger_entries` (`tenant_id`,`customer_id`,`id`);--> statement-breakpoint
CREATE TABLE `number_sequences` (
	`tenant_id` text NOT NULL,
	`sequence_key` text NOT NULL,
	`last_value` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `sequence_key`)
);
--> statement-breakpoint
CREATE TABLE `payments` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`currency` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`status` text NOT NULL,
	`gateway` text NOT NULL,
	`charge_id` text,
	`idempotency_key` text NOT NULL,
	`occurred_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payments_idempotency_key` ON `payments` (`tenant_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `payments_invoice_idx` ON `payments` (`tenant_id`,`invoice_id`,`id`);--> statement-breakpoint
CREATE INDEX `payments_occurred_idx` ON `payments` (`tenant_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `refunds` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`payment_id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`currency` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`destination` text NOT NULL,
	`gateway_refund_id` text,
	`idempotency_key` text NOT NULL,
	`occurred_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `refunds_idempotency_key` ON `refunds` (`tenant_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `refunds_invoice_idx` ON `refunds` (`tenant_id`,`invoice_id`,`id`);--> statement-breakpoint
CREATE INDEX `refunds_payment_idx` ON `refunds` (`tenant_id`,`payment_id`);--> statement-breakpoint
CREATE TABLE `subscription_items` (
	`tenant_id` text NOT NULL,
	`subscription_id` text NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`item_id` text NOT NULL,
	`choice_id` text,
	`description` text NOT NULL,
	`cycle` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_amount_minor` integer NOT NULL,
	`amount_minor` integer NOT NULL,
	`setup_fee_minor` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `subscription_id`, `position`)
);
--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`customer_id` text NOT NULL,
	`product_id` text NOT NULL,
	`product_kind` text NOT NULL,
	`plan_id` text NOT NULL,
	`currency` text NOT NULL,
	`cycle` text NOT NULL,
	`pricing` text NOT NULL,
	`time_zone` text NOT NULL,
	`anchor` text NOT NULL,
	`current_period_start` text,
	`current_period_end` text,
	`next_renewal_at` integer,
	`coupons` text NOT NULL,
	`invoiced_periods` integer NOT NULL,
	`status` text NOT NULL,
	`suspension_reason` text,
	`suspended_at` integer,
	`cancellation_mode` text,
	`cancellation_reason` text,
	`cancellation_requested_at` integer,
	`cancellation_effective_at` integer,
	`trial_ends_at` integer,
	`created_at` integer NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `subscriptions_renewal_idx` ON `subscriptions` (`tenant_id`,`next_renewal_at`,`id`);--> statement-breakpoint
CREATE INDEX `subscriptions_customer_idx` ON `subscriptions` (`tenant_id`,`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `subscriptions_status_idx` ON `subscriptions` (`tenant_id`,`status`,`id`);--> statement-breakpoint
CREATE TABLE `tenants` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`settings` text NOT NULL
);
