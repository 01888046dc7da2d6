CREATE TABLE `gateway_accounts` (
	`tenant_id` text NOT NULL,
	`gateway` text NOT NULL,
	`mode` text NOT NULL,
	`currencies` text NOT NULL,
	`credentials_ciphertext` text NOT NULL,
	`credentials_key_id` text NOT NULL,
	`enabled` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `gateway`)
);
