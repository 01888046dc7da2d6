CREATE TABLE `exchange_rates` (
	`tenant_id` text NOT NULL,
	`from_currency` text NOT NULL,
	`to_currency` text NOT NULL,
	`rate_date` text NOT NULL,
	`rate_num` text NOT NULL,
	`rate_den` text NOT NULL,
	`source` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `from_currency`, `to_currency`, `rate_date`)
);
