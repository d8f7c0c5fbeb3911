CREATE SCHEMA "telephony";
--> statement-breakpoint
CREATE TYPE "telephony"."call_event_kind" AS ENUM('arrived', 'after_hours', 'menu_choice', 'menu_invalid', 'menu_no_input', 'menu_fallback', 'queued', 'operator_rung', 'operator_missed', 'operator_released', 'answered', 'hold', 'unhold', 'max_wait', 'callback_requested', 'recording_started', 'message_left', 'hangup', 'failed');--> statement-breakpoint
CREATE TYPE "telephony"."call_outcome" AS ENUM('answered', 'abandoned_in_menu', 'abandoned_in_queue', 'after_hours', 'callback_requested', 'message_left', 'transferred', 'failed');--> statement-breakpoint
CREATE TYPE "telephony"."hangup_party" AS ENUM('caller', 'operator', 'system');--> statement-breakpoint
CREATE TYPE "telephony"."presence_state" AS ENUM('logged_out', 'ready', 'ringing', 'on_call', 'wrap_up', 'paused');--> statement-breakpoint
CREATE TABLE "telephony"."business_hours" (
	"court_id" uuid NOT NULL,
	"weekday" smallint NOT NULL,
	"opens" time NOT NULL,
	"closes" time NOT NULL,
	CONSTRAINT "business_hours_court_id_weekday_opens_pk" PRIMARY KEY("court_id","weekday","opens")
);
--> statement-breakpoint
CREATE TABLE "telephony"."call_events" (
	"id" uuid NOT NULL,
	"call_id" uuid NOT NULL,
	"court_id" uuid,
	"at" timestamp (3) with time zone NOT NULL,
	"seq" integer NOT NULL,
	"kind" "telephony"."call_event_kind" NOT NULL,
	"operator_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "call_events_id_at_pk" PRIMARY KEY("id","at")
);
--> statement-breakpoint
CREATE TABLE "telephony"."calls" (
	"id" uuid NOT NULL,
	"court_id" uuid,
	"channel_id" varchar(128) NOT NULL,
	"caller_number" varchar(64) NOT NULL,
	"dialled" varchar(64) NOT NULL,
	"arrived_at" timestamp (3) with time zone NOT NULL,
	"outcome" "telephony"."call_outcome",
	"hangup_by" "telephony"."hangup_party",
	"ended_at" timestamp (3) with time zone,
	"in_hours" boolean,
	"skill" varchar(32),
	"queued_at" timestamp (3) with time zone,
	"answered_at" timestamp (3) with time zone,
	"answered_by" uuid,
	CONSTRAINT "calls_id_arrived_at_pk" PRIMARY KEY("id","arrived_at")
);
--> statement-breakpoint
CREATE TABLE "telephony"."holidays" (
	"court_id" uuid NOT NULL,
	"day" date NOT NULL,
	"working" boolean DEFAULT false NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "holidays_court_id_day_pk" PRIMARY KEY("court_id","day")
);
--> statement-breakpoint
CREATE TABLE "telephony"."operator_skills" (
	"user_id" uuid NOT NULL,
	"skill" varchar(32) NOT NULL,
	CONSTRAINT "operator_skills_user_id_skill_pk" PRIMARY KEY("user_id","skill")
);
--> statement-breakpoint
CREATE TABLE "telephony"."presence_events" (
	"id" uuid NOT NULL,
	"operator_id" uuid NOT NULL,
	"court_id" uuid,
	"at" timestamp (3) with time zone NOT NULL,
	"state" "telephony"."presence_state" NOT NULL,
	"previous" "telephony"."presence_state",
	"reason" text,
	"call_id" uuid,
	CONSTRAINT "presence_events_id_at_pk" PRIMARY KEY("id","at")
);
--> statement-breakpoint
CREATE INDEX "call_events_call" ON "telephony"."call_events" USING btree ("call_id","seq");--> statement-breakpoint
CREATE INDEX "call_events_court_kind_at" ON "telephony"."call_events" USING btree ("court_id","kind","at");--> statement-breakpoint
CREATE INDEX "calls_court_arrived" ON "telephony"."calls" USING btree ("court_id","arrived_at");--> statement-breakpoint
CREATE INDEX "calls_caller_arrived" ON "telephony"."calls" USING btree ("caller_number","arrived_at");--> statement-breakpoint
CREATE INDEX "calls_open" ON "telephony"."calls" USING btree ("arrived_at") WHERE "telephony"."calls"."outcome" is null;--> statement-breakpoint
CREATE INDEX "presence_events_operator_at" ON "telephony"."presence_events" USING btree ("operator_id","at");