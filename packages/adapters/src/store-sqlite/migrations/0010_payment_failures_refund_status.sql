ALTER TABLE `payments` ADD `failure_reason` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `decline_code` text;--> statement-breakpoint
ALTER TABLE `refunds` ADD `status` text DEFAULT 'succeeded' NOT NULL;