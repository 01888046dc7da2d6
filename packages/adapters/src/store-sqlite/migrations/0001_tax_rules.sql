CREATE TABLE `tax_rules` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`position` integer NOT NULL,
	`country` text NOT NULL,
	`region` text,
	`locality` text,
	`name` text NOT NULL,
	`rate_percent` text NOT NULL,
	`priority` integer,
	`compound` integer,
	`product_kinds` text,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `tax_rules_position_idx` ON `tax_rules` (`tenant_id`,`position`);