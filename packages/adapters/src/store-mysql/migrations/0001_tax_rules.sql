CREATE TABLE `tax_rules` (
	`tenant_id` varchar(64) NOT NULL,
	`id` varchar(64) NOT NULL,
	`position` int NOT NULL,
	`country` char(2) NOT NULL,
	`region` varchar(64),
	`locality` varchar(128),
	`name` varchar(255) NOT NULL,
	`rate_percent` varchar(40) NOT NULL,
	`priority` int,
	`compound` boolean,
	`product_kinds` text,
	CONSTRAINT `tax_rules_pk` PRIMARY KEY(`tenant_id`,`id`)
);
--> statement-breakpoint
CREATE INDEX `tax_rules_position_idx` ON `tax_rules` (`tenant_id`,`position`);