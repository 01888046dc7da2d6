CREATE TABLE `gateway_accounts` (
	`tenant_id` varchar(64) NOT NULL,
	`gateway` varchar(32) NOT NULL,
	`mode` varchar(8) NOT NULL,
	`currencies` text NOT NULL,
	`credentials_ciphertext` text NOT NULL,
	`credentials_key_id` varchar(64) NOT NULL,
	`enabled` boolean NOT NULL,
	`created_at` bigint NOT NULL,
	`updated_at` bigint NOT NULL,
	`version` int NOT NULL,
	CONSTRAINT `gateway_accounts_pk` PRIMARY KEY(`tenant_id`,`gateway`)
);
