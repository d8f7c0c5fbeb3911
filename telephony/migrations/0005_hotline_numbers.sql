CREATE TABLE "telephony"."hotline_numbers" (
	"number" varchar(64) PRIMARY KEY NOT NULL,
	"court_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "telephony"."hotline_numbers" ADD CONSTRAINT "hotline_numbers_court_id_courts_id_fk" FOREIGN KEY ("court_id") REFERENCES "platform"."courts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
-- Every controller listens on telephony_courts: a court or a number added, changed or removed reaches them at
-- once (telephony/courts/court-directory.ts), so a call never waits for a poll to find its court.
CREATE OR REPLACE FUNCTION "telephony"."notify_courts_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('telephony_courts', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "courts_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "platform"."courts"
  FOR EACH STATEMENT EXECUTE FUNCTION "telephony"."notify_courts_changed"();
--> statement-breakpoint
CREATE TRIGGER "hotline_numbers_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "telephony"."hotline_numbers"
  FOR EACH STATEMENT EXECUTE FUNCTION "telephony"."notify_courts_changed"();
