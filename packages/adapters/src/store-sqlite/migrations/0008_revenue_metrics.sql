CREATE TABLE `mrr_movements` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`day` text NOT NULL,
	`month` text NOT NULL,
	`kind` text NOT NULL,
	`subscription_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`currency` text NOT NULL,
	`units` integer NOT NULL,
	`cause` text NOT NULL,
	`payers` integer NOT NULL,
	`cohort` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `mrr_movements_time_idx` ON `mrr_movements` (`tenant_id`,`occurred_at`,`id`);--> statement-breakpoint
CREATE TABLE `revenue_customers` (
	`tenant_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`mrr` text NOT NULL,
	`ever_paid` integer NOT NULL,
	`last_at` integer NOT NULL,
	`day_period` text NOT NULL,
	`day_start` text NOT NULL,
	`month_period` text NOT NULL,
	`month_start` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `customer_id`)
);
--> statement-breakpoint
CREATE TABLE `revenue_events` (
	`tenant_id` text NOT NULL,
	`subscription_id` text NOT NULL,
	`seq` integer NOT NULL,
	`customer_id` text NOT NULL,
	`kind` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`document` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `subscription_id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `revenue_subscriptions` (
	`tenant_id` text NOT NULL,
	`subscription_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`snapshot` text NOT NULL,
	`mrr_units` integer NOT NULL,
	`since_at` integer NOT NULL,
	`churned_at` integer,
	`event_count` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `subscription_id`)
);
--> statement-breakpoint
CREATE INDEX `revenue_subscriptions_customer_idx` ON `revenue_subscriptions` (`tenant_id`,`customer_id`);--> statement-breakpoint
CREATE TABLE `revenue_summaries` (
	`tenant_id` text NOT NULL,
	`granularity` text NOT NULL,
	`period` text NOT NULL,
	`currency` text NOT NULL,
	`new_units` integer NOT NULL,
	`expansion_units` integer NOT NULL,
	`contraction_units` integer NOT NULL,
	`churned_units` integer NOT NULL,
	`reactivation_units` integer NOT NULL,
	`payers_gained` integer NOT NULL,
	`payers_lost` integer NOT NULL,
	`cohort_lost_units` integer NOT NULL,
	`cohort_change_units` integer NOT NULL,
	`customers_new` integer NOT NULL,
	`customers_reactivated` integer NOT NULL,
	`customers_churned` integer NOT NULL,
	`cohort_customers_lost` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `granularity`, `period`, `currency`)
);
--> statement-breakpoint
CREATE TABLE `revenue_tenant_totals` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`paying_customers` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `revenue_totals` (
	`tenant_id` text NOT NULL,
	`currency` text NOT NULL,
	`mrr_units` integer NOT NULL,
	`payers` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `currency`)
);
