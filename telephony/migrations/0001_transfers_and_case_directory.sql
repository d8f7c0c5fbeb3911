CREATE TYPE "telephony"."transfer_mode" AS ENUM('blind', 'attended', 'menu');--> statement-breakpoint
CREATE TYPE "telephony"."transfer_outcome" AS ENUM('answered', 'no_answer', 'busy', 'rejected', 'failed', 'cancelled', 'caller_left');--> statement-breakpoint
ALTER TYPE "telephony"."call_event_kind" ADD VALUE 'case_number_entered';--> statement-breakpoint
ALTER TYPE "telephony"."call_event_kind" ADD VALUE 'case_not_found';--> statement-breakpoint
ALTER TYPE "telephony"."call_event_kind" ADD VALUE 'transfer_started';--> statement-breakpoint
ALTER TYPE "telephony"."call_event_kind" ADD VALUE 'transfer_answered';--> statement-breakpoint
ALTER TYPE "telephony"."call_event_kind" ADD VALUE 'transfer_failed';--> statement-breakpoint
ALTER TYPE "telephony"."call_event_kind" ADD VALUE 'transfer_completed';--> statement-breakpoint
ALTER TYPE "telephony"."call_event_kind" ADD VALUE 'transfer_cancelled';--> statement-breakpoint
ALTER TYPE "telephony"."hangup_party" ADD VALUE 'target';--> statement-breakpoint
CREATE TABLE "telephony"."case_directory" (
	"court_id" uuid NOT NULL,
	"case_number" varchar(64) NOT NULL,
	"digits" varchar(32) NOT NULL,
	"judge_user_id" uuid,
	"department_id" uuid,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_directory_court_id_case_number_pk" PRIMARY KEY("court_id","case_number")
);
--> statement-breakpoint
CREATE TABLE "telephony"."transfer_legs" (
	"call_id" uuid NOT NULL,
	"seq" smallint NOT NULL,
	"court_id" uuid,
	"mode" "telephony"."transfer_mode" NOT NULL,
	"target_kind" varchar(16) NOT NULL,
	"target_user_id" uuid,
	"target_department_id" uuid,
	"target_label" text NOT NULL,
	"dial" varchar(128) NOT NULL,
	"requested_by" uuid,
	"case_number" varchar(64),
	"started_at" timestamp (3) with time zone NOT NULL,
	"answered_at" timestamp (3) with time zone,
	"ended_at" timestamp (3) with time zone,
	"outcome" "telephony"."transfer_outcome",
	CONSTRAINT "transfer_legs_call_id_seq_pk" PRIMARY KEY("call_id","seq")
);
--> statement-breakpoint
CREATE INDEX "case_directory_digits" ON "telephony"."case_directory" USING btree ("court_id","digits");--> statement-breakpoint
CREATE INDEX "transfer_legs_court_started" ON "telephony"."transfer_legs" USING btree ("court_id","started_at");--> statement-breakpoint
CREATE INDEX "transfer_legs_target" ON "telephony"."transfer_legs" USING btree ("target_user_id","started_at");