CREATE TABLE "kpi"."raw_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" varchar(8) NOT NULL,
	"key" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- The change feed (docs/kpi.md "Keeping rollups current"): statement-level triggers note which calls and
-- tickets a statement touched, so the sync folds late rows (journal replay, fallback CDR import, a call
-- closed hours later, a transfer leg's outcome) and deleted rows as they land, whatever their times.
-- TG_ARGV: the kind noted and the column holding its key.
CREATE OR REPLACE FUNCTION "kpi"."note_raw_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    INSERT INTO kpi.raw_changes (kind, key) VALUES (TG_ARGV[0], NULL);
    RETURN NULL;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    EXECUTE format('INSERT INTO kpi.raw_changes (kind, key) SELECT DISTINCT %L, %I FROM new_rows', TG_ARGV[0], TG_ARGV[1]);
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    EXECUTE format('INSERT INTO kpi.raw_changes (kind, key) SELECT DISTINCT %L, %I FROM old_rows', TG_ARGV[0], TG_ARGV[1]);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "kpi_calls_inserted" AFTER INSERT ON "telephony"."calls" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kpi"."note_raw_change"('call', 'id');
--> statement-breakpoint
CREATE TRIGGER "kpi_calls_updated" AFTER UPDATE ON "telephony"."calls" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kpi"."note_raw_change"('call', 'id');
--> statement-breakpoint
CREATE TRIGGER "kpi_calls_deleted" AFTER DELETE ON "telephony"."calls" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kpi"."note_raw_change"('call', 'id');
--> statement-breakpoint
CREATE TRIGGER "kpi_calls_truncated" AFTER TRUNCATE ON "telephony"."calls"
  FOR EACH STATEMENT EXECUTE FUNCTION "kpi"."note_raw_change"('call', 'id');
--> statement-breakpoint
CREATE TRIGGER "kpi_transfer_legs_inserted" AFTER INSERT ON "telephony"."transfer_legs" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kpi"."note_raw_change"('call', 'call_id');
--> statement-breakpoint
CREATE TRIGGER "kpi_transfer_legs_updated" AFTER UPDATE ON "telephony"."transfer_legs" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kpi"."note_raw_change"('call', 'call_id');
--> statement-breakpoint
CREATE TRIGGER "kpi_transfer_legs_deleted" AFTER DELETE ON "telephony"."transfer_legs" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kpi"."note_raw_change"('call', 'call_id');
--> statement-breakpoint
CREATE TRIGGER "kpi_transfer_legs_truncated" AFTER TRUNCATE ON "telephony"."transfer_legs"
  FOR EACH STATEMENT EXECUTE FUNCTION "kpi"."note_raw_change"('call', 'call_id');
--> statement-breakpoint
CREATE TRIGGER "kpi_ticket_events_updated" AFTER UPDATE ON "tickets"."ticket_events" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kpi"."note_raw_change"('ticket', 'ticket_id');
--> statement-breakpoint
CREATE TRIGGER "kpi_ticket_events_deleted" AFTER DELETE ON "tickets"."ticket_events" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kpi"."note_raw_change"('ticket', 'ticket_id');
--> statement-breakpoint
CREATE TRIGGER "kpi_ticket_events_truncated" AFTER TRUNCATE ON "tickets"."ticket_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "kpi"."note_raw_change"('ticket', 'ticket_id');
--> statement-breakpoint
-- Rows changed before the feed existed: the first sync refreshes every call once.
INSERT INTO "kpi"."raw_changes" ("kind", "key") VALUES ('call', NULL);
