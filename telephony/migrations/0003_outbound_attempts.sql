CREATE TYPE "telephony"."outbound_result" AS ENUM('connected', 'surveyed', 'no_response', 'caller_not_reached', 'operator_missed', 'operator_unavailable', 'operator_cancelled', 'failed');--> statement-breakpoint
CREATE TYPE "telephony"."outbound_leg" AS ENUM('operator', 'caller');--> statement-breakpoint
CREATE TYPE "telephony"."outbound_leg_outcome" AS ENUM('answered', 'no_answer', 'busy', 'rejected', 'failed');--> statement-breakpoint
CREATE TYPE "telephony"."outbound_mode" AS ENUM('operator', 'survey');--> statement-breakpoint
CREATE TYPE "telephony"."outbound_purpose" AS ENUM('relay', 'return_visit', 'missed_call');--> statement-breakpoint
CREATE TYPE "telephony"."outbound_status" AS ENUM('scheduled', 'dialling', 'completed', 'unreachable', 'failed');--> statement-breakpoint
CREATE TABLE "telephony"."outbound_attempts" (
	"id" uuid NOT NULL,
	"outbound_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"attempt" smallint NOT NULL,
	"leg" "telephony"."outbound_leg" NOT NULL,
	"channel_id" varchar(128) NOT NULL,
	"operator_id" uuid,
	"outcome" "telephony"."outbound_leg_outcome" NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"answered_at" timestamp (3) with time zone,
	"ended_at" timestamp (3) with time zone NOT NULL,
	"detail" text,
	CONSTRAINT "outbound_attempts_id_started_at_pk" PRIMARY KEY("id","started_at")
);
--> statement-breakpoint
CREATE TABLE "telephony"."outbound_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"court_id" uuid NOT NULL,
	"purpose" "telephony"."outbound_purpose" NOT NULL,
	"mode" "telephony"."outbound_mode" NOT NULL,
	"ticket_id" uuid,
	"call_id" uuid,
	"number" varchar(64) NOT NULL,
	"requested_by" uuid NOT NULL,
	"endpoint" varchar(64),
	"requested_at" timestamp (3) with time zone NOT NULL,
	"status" "telephony"."outbound_status" NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone,
	"result" "telephony"."outbound_result",
	"satisfaction" varchar(32),
	"detail" text,
	"finished_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "outbound_attempts_outbound" ON "telephony"."outbound_attempts" USING btree ("outbound_id","started_at");--> statement-breakpoint
CREATE INDEX "outbound_attempts_court_started" ON "telephony"."outbound_attempts" USING btree ("court_id","started_at");--> statement-breakpoint
CREATE INDEX "outbound_requests_court_requested" ON "telephony"."outbound_requests" USING btree ("court_id","requested_at");--> statement-breakpoint
CREATE INDEX "outbound_requests_ticket" ON "telephony"."outbound_requests" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "outbound_requests_call" ON "telephony"."outbound_requests" USING btree ("call_id");--> statement-breakpoint
CREATE INDEX "outbound_requests_open" ON "telephony"."outbound_requests" USING btree ("court_id") WHERE "telephony"."outbound_requests"."status" in ('scheduled', 'dialling');