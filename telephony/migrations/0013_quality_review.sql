CREATE TABLE "telephony"."quality_draws" (
	"court_id" uuid NOT NULL,
	"week" date NOT NULL,
	"share_percent" smallint NOT NULL,
	"seed" varchar(64) NOT NULL,
	"first_drawn_at" timestamp (3) with time zone NOT NULL,
	"first_drawn_by" uuid
);
--> statement-breakpoint
CREATE TABLE "telephony"."quality_events" (
	"court_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"review_id" uuid NOT NULL,
	"kind" varchar(16) NOT NULL,
	"actor_id" uuid NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"data" jsonb NOT NULL,
	"prev" varchar(64) NOT NULL,
	"hash" varchar(64) NOT NULL,
	"seal" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "telephony"."quality_forms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"court_id" uuid NOT NULL,
	"family_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"items" jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "telephony"."quality_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"court_id" uuid NOT NULL,
	"call_id" uuid NOT NULL,
	"call_arrived_at" timestamp (3) with time zone NOT NULL,
	"operator_id" uuid NOT NULL,
	"week" date NOT NULL,
	"reasons" text[] NOT NULL,
	"status" varchar(16) DEFAULT 'sampled' NOT NULL,
	"form_id" uuid,
	"reviewer_id" uuid,
	"points" jsonb,
	"fatal_failed" text[],
	"score" numeric(5, 1),
	"fatal" boolean,
	"comment" text,
	"scored_at" timestamp (3) with time zone,
	"appeal_reason" text,
	"appealed_at" timestamp (3) with time zone,
	"decision" varchar(16),
	"decision_comment" text,
	"decided_by" uuid,
	"decided_at" timestamp (3) with time zone,
	"accepted_at" timestamp (3) with time zone,
	"locked_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "telephony"."quality_settings" (
	"court_id" uuid PRIMARY KEY NOT NULL,
	"share_percent" smallint NOT NULL,
	"seed" varchar(64) NOT NULL,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "quality_draws_court_week" ON "telephony"."quality_draws" USING btree ("court_id","week");--> statement-breakpoint
CREATE UNIQUE INDEX "quality_events_court_seq" ON "telephony"."quality_events" USING btree ("court_id","seq");--> statement-breakpoint
CREATE INDEX "quality_events_review" ON "telephony"."quality_events" USING btree ("review_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "quality_forms_family_version" ON "telephony"."quality_forms" USING btree ("family_id","version");--> statement-breakpoint
CREATE INDEX "quality_forms_court" ON "telephony"."quality_forms" USING btree ("court_id");--> statement-breakpoint
CREATE UNIQUE INDEX "quality_reviews_call" ON "telephony"."quality_reviews" USING btree ("call_id");--> statement-breakpoint
CREATE INDEX "quality_reviews_court_week" ON "telephony"."quality_reviews" USING btree ("court_id","week");--> statement-breakpoint
CREATE INDEX "quality_reviews_operator" ON "telephony"."quality_reviews" USING btree ("operator_id","week");--> statement-breakpoint
CREATE INDEX "quality_reviews_open" ON "telephony"."quality_reviews" USING btree ("court_id") WHERE "telephony"."quality_reviews"."locked_at" is null;