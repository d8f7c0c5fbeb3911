CREATE TYPE "telephony"."recording_kind" AS ENUM('conversation', 'message');--> statement-breakpoint
CREATE TYPE "telephony"."recording_status" AS ENUM('stored', 'missing', 'removed');--> statement-breakpoint
CREATE TABLE "telephony"."recordings" (
	"call_id" uuid NOT NULL,
	"kind" "telephony"."recording_kind" NOT NULL,
	"court_id" uuid,
	"call_arrived_at" timestamp (3) with time zone NOT NULL,
	"name" varchar(128) NOT NULL,
	"status" "telephony"."recording_status" NOT NULL,
	"path" text,
	"size_bytes" bigint,
	"stored_at" timestamp (3) with time zone NOT NULL,
	"removed_at" timestamp (3) with time zone,
	CONSTRAINT "recordings_call_id_kind_pk" PRIMARY KEY("call_id","kind")
);
--> statement-breakpoint
CREATE INDEX "recordings_stored_arrived" ON "telephony"."recordings" USING btree ("status","call_arrived_at");