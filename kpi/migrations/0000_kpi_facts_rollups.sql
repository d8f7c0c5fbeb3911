CREATE SCHEMA "kpi";
--> statement-breakpoint
CREATE TABLE "kpi"."call_facts" (
	"call_id" uuid PRIMARY KEY NOT NULL,
	"court_id" uuid,
	"arrived_at" timestamp with time zone NOT NULL,
	"operator_id" uuid,
	"category" varchar(64),
	"ticket_id" uuid,
	"offered" boolean NOT NULL,
	"answered" boolean NOT NULL,
	"abandoned" boolean NOT NULL,
	"wait_ms" bigint,
	"handle_ms" bigint,
	"registered" boolean NOT NULL,
	"transfer_attempts" smallint NOT NULL,
	"transfers_connected" smallint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi"."call_tickets" (
	"call_id" varchar(128) NOT NULL,
	"ticket_id" uuid NOT NULL,
	CONSTRAINT "call_tickets_call_id_ticket_id_pk" PRIMARY KEY("call_id","ticket_id")
);
--> statement-breakpoint
CREATE TABLE "kpi"."rollup_daily" (
	"court_id" uuid,
	"day" date NOT NULL,
	"calls" bigint DEFAULT 0 NOT NULL,
	"offered" bigint DEFAULT 0 NOT NULL,
	"answered" bigint DEFAULT 0 NOT NULL,
	"answered_in_sl" bigint DEFAULT 0 NOT NULL,
	"answer_wait_ms" bigint DEFAULT 0 NOT NULL,
	"abandoned" bigint DEFAULT 0 NOT NULL,
	"abandoned_short" bigint DEFAULT 0 NOT NULL,
	"handled" bigint DEFAULT 0 NOT NULL,
	"handle_ms" bigint DEFAULT 0 NOT NULL,
	"registered" bigint DEFAULT 0 NOT NULL,
	"transfer_attempts" bigint DEFAULT 0 NOT NULL,
	"transfers_connected" bigint DEFAULT 0 NOT NULL,
	"tickets" bigint DEFAULT 0 NOT NULL,
	"on_spot" bigint DEFAULT 0 NOT NULL,
	"due" bigint DEFAULT 0 NOT NULL,
	"completed" bigint DEFAULT 0 NOT NULL,
	"on_time" bigint DEFAULT 0 NOT NULL,
	"voided" bigint DEFAULT 0 NOT NULL,
	"overdue" bigint DEFAULT 0 NOT NULL,
	"awaiting_handoff" bigint DEFAULT 0 NOT NULL,
	"callback_due" bigint DEFAULT 0 NOT NULL,
	"callback_done" bigint DEFAULT 0 NOT NULL,
	"satisfied" bigint DEFAULT 0 NOT NULL,
	"unsatisfied" bigint DEFAULT 0 NOT NULL,
	"reopened" bigint DEFAULT 0 NOT NULL,
	"chases" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi"."rollup_hourly" (
	"court_id" uuid,
	"hour" timestamp with time zone NOT NULL,
	"operator_id" uuid,
	"department_id" uuid,
	"judge_id" uuid,
	"category" varchar(64),
	"calls" bigint DEFAULT 0 NOT NULL,
	"offered" bigint DEFAULT 0 NOT NULL,
	"answered" bigint DEFAULT 0 NOT NULL,
	"answered_in_sl" bigint DEFAULT 0 NOT NULL,
	"answer_wait_ms" bigint DEFAULT 0 NOT NULL,
	"abandoned" bigint DEFAULT 0 NOT NULL,
	"abandoned_short" bigint DEFAULT 0 NOT NULL,
	"handled" bigint DEFAULT 0 NOT NULL,
	"handle_ms" bigint DEFAULT 0 NOT NULL,
	"registered" bigint DEFAULT 0 NOT NULL,
	"transfer_attempts" bigint DEFAULT 0 NOT NULL,
	"transfers_connected" bigint DEFAULT 0 NOT NULL,
	"tickets" bigint DEFAULT 0 NOT NULL,
	"on_spot" bigint DEFAULT 0 NOT NULL,
	"due" bigint DEFAULT 0 NOT NULL,
	"completed" bigint DEFAULT 0 NOT NULL,
	"on_time" bigint DEFAULT 0 NOT NULL,
	"voided" bigint DEFAULT 0 NOT NULL,
	"overdue" bigint DEFAULT 0 NOT NULL,
	"awaiting_handoff" bigint DEFAULT 0 NOT NULL,
	"callback_due" bigint DEFAULT 0 NOT NULL,
	"callback_done" bigint DEFAULT 0 NOT NULL,
	"satisfied" bigint DEFAULT 0 NOT NULL,
	"unsatisfied" bigint DEFAULT 0 NOT NULL,
	"reopened" bigint DEFAULT 0 NOT NULL,
	"chases" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi"."settings_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"court_id" uuid NOT NULL,
	"service_level_seconds" integer NOT NULL,
	"short_abandon_seconds" integer NOT NULL,
	"changed_by" uuid NOT NULL,
	"changed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi"."sync_state" (
	"name" varchar(64) PRIMARY KEY NOT NULL,
	"value" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi"."ticket_facts" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"court_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"period_at" timestamp with time zone NOT NULL,
	"category" varchar(64),
	"operator_id" uuid,
	"department_id" uuid,
	"judge_id" uuid,
	"handed_off_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"voided_at" timestamp with time zone,
	"on_spot" boolean NOT NULL,
	"in_due" boolean NOT NULL,
	"callback_due" boolean NOT NULL,
	"callback_done" boolean NOT NULL,
	"satisfaction" varchar(32),
	"reopened" integer NOT NULL,
	"chases" integer NOT NULL,
	"by_person" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi"."weekly_reports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"court_id" uuid NOT NULL,
	"week_start" date NOT NULL,
	"trigger" varchar(16) NOT NULL,
	"requested_by" uuid,
	"generated_at" timestamp with time zone NOT NULL,
	"body" jsonb NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE INDEX "call_facts_court_arrived" ON "kpi"."call_facts" USING btree ("court_id","arrived_at");--> statement-breakpoint
CREATE INDEX "call_tickets_ticket" ON "kpi"."call_tickets" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "rollup_daily_court_day" ON "kpi"."rollup_daily" USING btree ("court_id","day");--> statement-breakpoint
CREATE INDEX "rollup_hourly_court_hour" ON "kpi"."rollup_hourly" USING btree ("court_id","hour");--> statement-breakpoint
CREATE INDEX "settings_changes_court" ON "kpi"."settings_changes" USING btree ("court_id","id");--> statement-breakpoint
CREATE INDEX "ticket_facts_court_period" ON "kpi"."ticket_facts" USING btree ("court_id","period_at");--> statement-breakpoint
CREATE INDEX "weekly_reports_court_week" ON "kpi"."weekly_reports" USING btree ("court_id","week_start");