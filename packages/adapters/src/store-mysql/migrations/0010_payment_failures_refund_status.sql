ALTER TABLE `payments` ADD `failure_reason` varchar(255);--> statement-breakpoint
ALTER TABLE `payments` ADD `decline_code` varchar(64);--> statement-breakpoint
ALTER TABLE `refunds` ADD `status` varchar(16) DEFAULT 'succeeded' NOT NULL;