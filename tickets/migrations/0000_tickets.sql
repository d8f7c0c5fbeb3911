CREATE SCHEMA "tickets";
--> statement-breakpoint
CREATE TYPE "tickets"."calendar_day_kind" AS ENUM('holiday', 'workday');--> statement-breakpoint
CREATE TYPE "tickets"."day_kind" AS ENUM('working', 'calendar');--> statement-breakpoint
CREATE TYPE "tickets"."delivery_channel" AS ENUM('phone', 'sms');--> statement-breakpoint
CREATE TYPE "tickets"."priority" AS ENUM('normal', 'urgent');--> statement-breakpoint
CREATE TYPE "tickets"."satisfaction" AS ENUM('satisfied', 'basically_satisfied', 'unsatisfied');--> statement-breakpoint
CREATE TYPE "tickets"."stage" AS ENUM('answer', 'handoff', 'chase', 'feedback', 'callback', 'closed', 'void');--> statement-breakpoint
CREATE TABLE "tickets"."ticket_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"court_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"ticket_id" uuid NOT NULL,
	"action" varchar(64) NOT NULL,
	"actor_id" uuid NOT NULL,
	"actor_role" varchar(32) NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"before" jsonb NOT NULL,
	"after" jsonb NOT NULL,
	"reason" text,
	"prev_hash" varchar(64) NOT NULL,
	"hash" varchar(64) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets"."calendar_days" (
	"day" date PRIMARY KEY NOT NULL,
	"kind" "tickets"."calendar_day_kind" NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets"."categories" (
	"code" varchar(64) PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"deadline_days" integer DEFAULT 3 NOT NULL,
	"day_kind" "tickets"."day_kind" DEFAULT 'working' NOT NULL,
	"callback_when_answered_on_spot" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets"."applied_jobs" (
	"job_id" varchar(200) PRIMARY KEY NOT NULL,
	"queue" varchar(64) NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	"result" text
);
--> statement-breakpoint
CREATE TABLE "tickets"."deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"channel" varchar(16) NOT NULL,
	"status" varchar(16) NOT NULL,
	"detail" text,
	"actor_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets"."outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"queue" varchar(64) NOT NULL,
	"action" varchar(16) NOT NULL,
	"job_name" varchar(64) NOT NULL,
	"job_id" varchar(200) NOT NULL,
	"data" jsonb NOT NULL,
	"run_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"relayed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tickets"."sla_timers" (
	"job_id" varchar(200) PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"level" varchar(16) NOT NULL,
	"fire_at" timestamp with time zone NOT NULL,
	"status" varchar(16) DEFAULT 'pending' NOT NULL,
	"settled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tickets"."ticket_calls" (
	"ticket_id" uuid NOT NULL,
	"call_id" varchar(128) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_calls_ticket_id_call_id_pk" PRIMARY KEY("ticket_id","call_id")
);
--> statement-breakpoint
CREATE TABLE "tickets"."ticket_number_counters" (
	"court_id" uuid NOT NULL,
	"day" varchar(8) NOT NULL,
	"last" bigint NOT NULL,
	CONSTRAINT "ticket_number_counters_court_id_day_pk" PRIMARY KEY("court_id","day")
);
--> statement-breakpoint
CREATE TABLE "tickets"."tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" varchar(64) NOT NULL,
	"court_id" uuid NOT NULL,
	"caller_number" varchar(32),
	"caller_name" text,
	"case_number" varchar(64),
	"category" varchar(64) NOT NULL,
	"summary" text NOT NULL,
	"details" text DEFAULT '' NOT NULL,
	"priority" "tickets"."priority" DEFAULT 'normal' NOT NULL,
	"stage" "tickets"."stage" DEFAULT 'answer' NOT NULL,
	"owner_id" uuid,
	"handler_user_id" uuid,
	"handler_department_id" uuid,
	"handed_off_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"deadline" timestamp with time zone,
	"deadline_version" integer DEFAULT 0 NOT NULL,
	"extension_requested_until" timestamp with time zone,
	"extension_reason" text,
	"chase_level" integer DEFAULT 0 NOT NULL,
	"feedback_text" text,
	"replied_at" timestamp with time zone,
	"delivery_channel" "tickets"."delivery_channel",
	"delivered_at" timestamp with time zone,
	"answered_on_spot" boolean DEFAULT false NOT NULL,
	"callback_resolved" boolean,
	"satisfaction" "tickets"."satisfaction",
	"callback_at" timestamp with time zone,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"void_reason" text,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tickets_number_unique" UNIQUE("number")
);
--> statement-breakpoint
ALTER TABLE "tickets"."ticket_events" ADD CONSTRAINT "ticket_events_court_id_courts_id_fk" FOREIGN KEY ("court_id") REFERENCES "platform"."courts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets"."ticket_events" ADD CONSTRAINT "ticket_events_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "tickets"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets"."deliveries" ADD CONSTRAINT "deliveries_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "tickets"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets"."sla_timers" ADD CONSTRAINT "sla_timers_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "tickets"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets"."ticket_calls" ADD CONSTRAINT "ticket_calls_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "tickets"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets"."ticket_number_counters" ADD CONSTRAINT "ticket_number_counters_court_id_courts_id_fk" FOREIGN KEY ("court_id") REFERENCES "platform"."courts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD CONSTRAINT "tickets_court_id_courts_id_fk" FOREIGN KEY ("court_id") REFERENCES "platform"."courts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD CONSTRAINT "tickets_category_categories_code_fk" FOREIGN KEY ("category") REFERENCES "tickets"."categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD CONSTRAINT "tickets_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "platform"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD CONSTRAINT "tickets_handler_user_id_users_id_fk" FOREIGN KEY ("handler_user_id") REFERENCES "platform"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets"."tickets" ADD CONSTRAINT "tickets_handler_department_id_departments_id_fk" FOREIGN KEY ("handler_department_id") REFERENCES "platform"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_events_court_seq" ON "tickets"."ticket_events" USING btree ("court_id","seq");--> statement-breakpoint
CREATE INDEX "ticket_events_ticket" ON "tickets"."ticket_events" USING btree ("ticket_id","id");--> statement-breakpoint
CREATE INDEX "deliveries_ticket" ON "tickets"."deliveries" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "outbox_pending" ON "tickets"."outbox" USING btree ("id") WHERE relayed_at is null;--> statement-breakpoint
CREATE INDEX "sla_timers_ticket" ON "tickets"."sla_timers" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "sla_timers_pending" ON "tickets"."sla_timers" USING btree ("fire_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "ticket_calls_call" ON "tickets"."ticket_calls" USING btree ("call_id");--> statement-breakpoint
CREATE INDEX "tickets_court_stage" ON "tickets"."tickets" USING btree ("court_id","stage");--> statement-breakpoint
CREATE INDEX "tickets_caller" ON "tickets"."tickets" USING btree ("caller_number");--> statement-breakpoint
CREATE INDEX "tickets_handler_user" ON "tickets"."tickets" USING btree ("handler_user_id","stage");--> statement-breakpoint
CREATE INDEX "tickets_handler_department" ON "tickets"."tickets" USING btree ("handler_department_id","stage");--> statement-breakpoint
CREATE INDEX "tickets_deadline" ON "tickets"."tickets" USING btree ("deadline");