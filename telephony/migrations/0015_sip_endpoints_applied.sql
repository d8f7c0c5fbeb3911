CREATE TABLE "telephony"."sip_endpoints_applied" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"files_hash" text NOT NULL,
	"reloaded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sip_endpoints_applied_one_row" CHECK ("telephony"."sip_endpoints_applied"."id" = 1)
);
