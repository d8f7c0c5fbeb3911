CREATE TABLE "telephony"."case_sources" (
	"court_id" uuid PRIMARY KEY NOT NULL,
	"url" varchar(2000) NOT NULL,
	"token_sealed" text,
	"every_minutes" integer NOT NULL,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"last_sync_at" timestamp (3) with time zone,
	"last_result" varchar(16),
	"last_trigger" varchar(16),
	"last_error" text,
	"last_error_zh" text,
	"last_total" integer,
	"last_created" integer,
	"last_updated" integer
);
