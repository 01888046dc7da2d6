CREATE TABLE `usage_samples` (
	`tenant_id` varchar(64) NOT NULL,
	`service_id` varchar(64) NOT NULL,
	`slot_at` bigint NOT NULL,
	`bytes_in` bigint NOT NULL,
	`bytes_out` bigint NOT NULL,
	CONSTRAINT `usage_samples_pk` PRIMARY KEY(`tenant_id`,`service_id`,`slot_at`)
);
