CREATE TABLE `exchange_rates` (
	`tenant_id` varchar(64) NOT NULL,
	`from_currency` char(3) NOT NULL,
	`to_currency` char(3) NOT NULL,
	`rate_date` char(10) NOT NULL,
	`rate_num` varchar(64) NOT NULL,
	`rate_den` varchar(64) NOT NULL,
	`source` varchar(64) NOT NULL,
	CONSTRAINT `exchange_rates_pk` PRIMARY KEY(`tenant_id`,`from_currency`,`to_currency`,`rate_date`)
);
