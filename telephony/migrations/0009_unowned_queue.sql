CREATE TABLE "telephony"."auto_callback_settings" (
	"court_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean NOT NULL,
	"opens" varchar(5) NOT NULL,
	"closes" varchar(5) NOT NULL,
	"attempts" smallint NOT NULL,
	"interval_minutes" smallint NOT NULL,
	"daily_cap" integer NOT NULL,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "telephony"."auto_callbacks" (
	"outbound_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"caller_number" varchar(64) NOT NULL,
	"day" date NOT NULL,
	"call_id" uuid NOT NULL,
	"operator_id" uuid NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "auto_callbacks_outbound_id_pk" PRIMARY KEY("outbound_id")
);
--> statement-breakpoint
CREATE TABLE "telephony"."unowned_claims" (
	"call_id" uuid PRIMARY KEY NOT NULL,
	"court_id" uuid NOT NULL,
	"caller_number" varchar(64) NOT NULL,
	"day" date NOT NULL,
	"through" timestamp (3) with time zone NOT NULL,
	"tries" integer NOT NULL,
	"claimed_by" uuid NOT NULL,
	"claimed_at" timestamp (3) with time zone NOT NULL,
	"ticket_id" uuid
);
--> statement-breakpoint
CREATE INDEX "auto_callbacks_court_day" ON "telephony"."auto_callbacks" USING btree ("court_id","day","caller_number");--> statement-breakpoint
CREATE INDEX "unowned_claims_caller_day" ON "telephony"."unowned_claims" USING btree ("court_id","caller_number","day");