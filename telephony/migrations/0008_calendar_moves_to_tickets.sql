-- A court's hours and holidays were a second calendar here, apart from the one its deadlines used. They move into
-- the court's one calendar (tickets.court_calendar_days, tickets.business_hours; docs/telephony.md, "Hours"):
-- a holiday row becomes the court's own holiday, a working row (调休上班) its own make-up working day. Where the
-- court already has its own day for that date (copied from the old deployment-wide calendar), that one is kept.
-- Rows of a court that no longer exists are dropped with the tables.
INSERT INTO "tickets"."business_hours" ("court_id", "weekday", "opens", "closes")
  SELECT h."court_id", h."weekday", h."opens", h."closes" FROM "telephony"."business_hours" h
  WHERE EXISTS (SELECT 1 FROM "platform"."courts" c WHERE c."id" = h."court_id")
  ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "tickets"."court_calendar_days" ("court_id", "day", "kind", "name", "source")
  SELECT h."court_id", h."day", CASE WHEN h."working" THEN 'workday'::"tickets"."calendar_day_kind" ELSE 'holiday'::"tickets"."calendar_day_kind" END,
    h."name", '迁移自 telephony.holidays（热线营业时间的节假日）'
  FROM "telephony"."holidays" h
  WHERE EXISTS (SELECT 1 FROM "platform"."courts" c WHERE c."id" = h."court_id")
  ON CONFLICT DO NOTHING;
--> statement-breakpoint
DROP TABLE "telephony"."business_hours" CASCADE;--> statement-breakpoint
DROP TABLE "telephony"."holidays" CASCADE;
