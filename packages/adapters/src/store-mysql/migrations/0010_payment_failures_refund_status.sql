ALTER TABLE `payments` ADD `failure_reason` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `decline_code` varchar(255);--> statement-breakpoint
ALTER TABLE `refunds` ADD `status` varchar(16) DEFAULT 'succeeded' NOT NULL;