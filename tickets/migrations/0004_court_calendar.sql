CREATE TABLE "tickets"."business_hours" (
	"court_id" uuid NOT NULL,
	"weekday" smallint NOT NULL,
	"opens" time NOT NULL,
	"closes" time NOT NULL,
	CONSTRAINT "business_hours_court_id_weekday_opens_pk" PRIMARY KEY("court_id","weekday","opens")
);
--> statement-breakpoint
CREATE TABLE "tickets"."court_calendar_days" (
	"court_id" uuid NOT NULL,
	"day" date NOT NULL,
	"kind" "tickets"."calendar_day_kind" NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "court_calendar_days_court_id_day_pk" PRIMARY KEY("court_id","day")
);
--> statement-breakpoint
ALTER TABLE "tickets"."categories" ALTER COLUMN "day_kind" SET DEFAULT 'calendar';--> statement-breakpoint
ALTER TABLE "tickets"."business_hours" ADD CONSTRAINT "business_hours_court_id_courts_id_fk" FOREIGN KEY ("court_id") REFERENCES "platform"."courts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets"."court_calendar_days" ADD CONSTRAINT "court_calendar_days_court_id_courts_id_fk" FOREIGN KEY ("court_id") REFERENCES "platform"."courts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
-- Until now tickets.calendar_days was one calendar for the whole deployment, and an admin's PUT /api/calendar
-- changed it for every court. It stays as the national default (the shipped rows, which cite the State Council's
-- notice); a day an admin added is copied to every court as that court's own day, so no court's deadlines move
-- with this migration, and each court's admin may now change or drop it for their court alone.
INSERT INTO "tickets"."court_calendar_days" ("court_id", "day", "kind", "name", "source", "updated_at")
  SELECT c."id", d."day", d."kind", d."name", d."source", d."updated_at"
  FROM "tickets"."calendar_days" d CROSS JOIN "platform"."courts" c
  WHERE d."source" NOT IN ('国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）', '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）');
--> statement-breakpoint
DELETE FROM "tickets"."calendar_days"
  WHERE "source" NOT IN ('国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）', '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）');
--> statement-breakpoint
-- Seed 001 gives 3 days ("3日内") for an answer, execution feedback and a complaint: calendar days, counted as the
-- Civil Procedure Law counts a period (期间). The shipped categories were set to 3 working days; those still so
-- move to 3 calendar days. Tickets already handed off keep their deadline; a category an admin changed is left.
UPDATE "tickets"."categories" SET "day_kind" = 'calendar', "updated_at" = now()
  WHERE "code" IN ('enquiry', 'case_progress', 'contact_judge', 'complaint', 'suggestion', 'petition', 'execution_lead',
    'file_reading_appointment', 'post_judgment_question', 'other')
  AND "deadline_days" = 3 AND "day_kind" = 'working';
--> statement-breakpoint
-- Every hotline controller keeps the calendars in memory (telephony/hours/calendar.ts) and reloads on
-- NOTIFY court_calendar, so a holiday an admin sets closes the menu at once.
CREATE OR REPLACE FUNCTION "tickets"."notify_court_calendar_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('court_calendar', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "calendar_days_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "tickets"."calendar_days"
  FOR EACH STATEMENT EXECUTE FUNCTION "tickets"."notify_court_calendar_changed"();
--> statement-breakpoint
CREATE TRIGGER "court_calendar_days_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "tickets"."court_calendar_days"
  FOR EACH STATEMENT EXECUTE FUNCTION "tickets"."notify_court_calendar_changed"();
--> statement-breakpoint
CREATE TRIGGER "business_hours_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "tickets"."business_hours"
  FOR EACH STATEMENT EXECUTE FUNCTION "tickets"."notify_court_calendar_changed"();
