CREATE TABLE `mrr_movements` (
	`tenant_id` varchar(64) NOT NULL,
	`id` varchar(64) NOT NULL,
	`occurred_at` bigint NOT NULL,
	`day` char(10) NOT NULL,
	`month` char(7) NOT NULL,
	`kind` varchar(32) NOT NULL,
	`subscription_id` varchar(64) NOT NULL,
	`customer_id` varchar(64) NOT NULL,
	`currency` char(3) NOT NULL,
	`units` bigint NOT NULL,
	`cause` varchar(32) NOT NULL,
	`payers` int NOT NULL,
	`cohort` text NOT NULL,
	CONSTRAINT `mrr_movements_pk` PRIMARY KEY(`tenant_id`,`id`)
);
--> statement-breakpoint
CREATE TABLE `revenue_customers` (
	`tenant_id` varchar(64) NOT NULL,
	`customer_id` varchar(64) NOT NULL,
	`mrr` text NOT NULL,
	`ever_paid` boolean NOT NULL,
	`last_at` bigint NOT NULL,
	`day_period` varchar(10) NOT NULL,
	`day_start` text NOT NULL,
	`month_period` varchar(7) NOT NULL,
	`month_start` text NOT NULL,
	CONSTRAINT `revenue_customers_pk` PRIMARY KEY(`tenant_id`,`customer_id`)
);
--> statement-breakpoint
CREATE TABLE `revenue_events` (
	`tenant_id` varchar(64) NOT NULL,
	`subscription_id` varchar(64) NOT NULL,
	`seq` int NOT NULL,
	`customer_id` varchar(64) NOT NULL,
	`kind` varchar(32) NOT NULL,
	`occurred_at` bigint NOT NULL,
	`document` mediumtext NOT NULL,
	CONSTRAINT `revenue_events_pk` PRIMARY KEY(`tenant_id`,`subscription_id`,`seq`)
);
--> statement-breakpoint
CREATE TABLE `revenue_subscriptions` (
	`tenant_id` varchar(64) NOT NULL,
	`subscription_id` varchar(64) NOT NULL,
	`customer_id` varchar(64) NOT NULL,
	`currency` char(3) NOT NULL,
	`status` varchar(16) NOT NULL,
	`snapshot` mediumtext NOT NULL,
	`mrr_units` bigint NOT NULL,
	`since_at` bigint NOT NULL,
	`churned_at` bigint,
	`event_count` int NOT NULL,
	CONSTRAINT `revenue_subscriptions_pk` PRIMARY KEY(`tenant_id`,`subscription_id`)
);
--> statement-breakpoint
CREATE TABLE `revenue_summaries` (
	`tenant_id` varchar(64) NOT NULL,
	`granularity` varchar(8) NOT NULL,
	`period` varchar(10) NOT NULL,
	`currency` char(3) NOT NULL,
	`new_units` bigint NOT NULL,
	`expansion_units` bigint NOT NULL,
	`contraction_units` bigint NOT NULL,
	`churned_units` bigint NOT NULL,
	`reactivation_units` bigint NOT NULL,
	`payers_gained` int NOT NULL,
	`payers_lost` int NOT NULL,
	`cohort_lost_units` bigint NOT NULL,
	`cohort_change_units` bigint NOT NULL,
	`customers_new` int NOT NULL,
	`customers_reactivated` int NOT NULL,
	`customers_churned` int NOT NULL,
	`cohort_customers_lost` int NOT NULL,
	CONSTRAINT `revenue_summaries_pk` PRIMARY KEY(`tenant_id`,`granularity`,`period`,`currency`)
);
--> statement-breakpoint
CREATE TABLE `revenue_tenant_totals` (
	`tenant_id` varchar(64) NOT NULL,
	`paying_customers` int NOT NULL,
	CONSTRAINT `revenue_tenant_totals_tenant_id` PRIMARY KEY(`tenant_id`)
);
--> statement-breakpoint
CREATE TABLE `revenue_totals` (
	`tenant_id` varchar(64) NOT NULL,
	`currency` char(3) NOT NULL,
	`mrr_units` bigint NOT NULL,
	`payers` int NOT NULL,
	CONSTRAINT `revenue_totals_pk` PRIMARY KEY(`tenant_id`,`currency`)
);
--> statement-breakpoint
CREATE INDEX `mrr_movements_time_idx` ON `mrr_movements` (`tenant_id`,`occurred_at`,`id`);--> statement-breakpoint
CREATE INDEX `revenue_subscriptions_customer_idx` ON `revenue_subscriptions` (`tenant_id`,`customer_id`);