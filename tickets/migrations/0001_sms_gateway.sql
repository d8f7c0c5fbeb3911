CREATE TABLE "tickets"."sms_receipts" (
	"message_id" varchar(100) PRIMARY KEY NOT NULL,
	"state" varchar(24) NOT NULL,
	"delivered" boolean NOT NULL,
	"detail" text,
	"received_at" timestamp with time zone NOT NULL,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tickets"."sms_settings_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"court_id" uuid NOT NULL,
	"handoff_notice" boolean NOT NULL,
	"changed_by" uuid NOT NULL,
	"changed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tickets"."deliveries" ADD COLUMN "purpose" varchar(24) DEFAULT 'feedback' NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets"."deliveries" ADD COLUMN "gateway_message_id" varchar(100);--> statement-breakpoint
ALTER TABLE "tickets"."deliveries" ADD COLUMN "send_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets"."deliveries" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets"."deliveries" ADD COLUMN "settled_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "sms_settings_changes_court" ON "tickets"."sms_settings_changes" USING btree ("court_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_gateway_message" ON "tickets"."deliveries" USING btree ("channel","gateway_message_id") WHERE gateway_message_id is not null;