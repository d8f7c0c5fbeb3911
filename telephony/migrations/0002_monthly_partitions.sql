-- Monthly range partitions for the two largest append-only tables, telephony.calls (by arrived_at) and
-- telephony.call_events (by at); rows outside every month partition land in a DEFAULT partition.
-- telephony.ensure_month_partitions() makes the months a time range needs; the controller calls it at start
-- and daily (telephony/records/partitions.ts), and this migration for the months existing rows span.
CREATE OR REPLACE FUNCTION "telephony"."ensure_month_partitions"(parent regclass, from_at timestamptz, to_at timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  made integer := 0;
  m timestamp := date_trunc('month', from_at AT TIME ZONE 'UTC');
  part text;
BEGIN
  WHILE m <= (to_at AT TIME ZONE 'UTC') LOOP
    part := parent::text || '_y' || to_char(m, 'YYYY') || 'm' || to_char(m, 'MM');
    IF to_regclass(part) IS NULL THEN
      EXECUTE format('CREATE TABLE %s PARTITION OF %s FOR VALUES FROM (%L) TO (%L)', part, parent, m AT TIME ZONE 'UTC', (m + interval '1 month') AT TIME ZONE 'UTC');
      made := made + 1;
    END IF;
    m := m + interval '1 month';
  END LOOP;
  RETURN made;
END $$;--> statement-breakpoint
ALTER TABLE "telephony"."calls" RENAME TO "calls_unpartitioned";--> statement-breakpoint
ALTER TABLE "telephony"."calls_unpartitioned" RENAME CONSTRAINT "calls_id_arrived_at_pk" TO "calls_unpartitioned_pk";--> statement-breakpoint
ALTER INDEX "telephony"."calls_court_arrived" RENAME TO "calls_unpartitioned_court_arrived";--> statement-breakpoint
ALTER INDEX "telephony"."calls_caller_arrived" RENAME TO "calls_unpartitioned_caller_arrived";--> statement-breakpoint
ALTER INDEX "telephony"."calls_open" RENAME TO "calls_unpartitioned_open";--> statement-breakpoint
CREATE TABLE "telephony"."calls" (LIKE "telephony"."calls_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("arrived_at");--> statement-breakpoint
ALTER TABLE "telephony"."calls" ADD CONSTRAINT "calls_id_arrived_at_pk" PRIMARY KEY ("id", "arrived_at");--> statement-breakpoint
CREATE INDEX "calls_court_arrived" ON "telephony"."calls" USING btree ("court_id", "arrived_at");--> statement-breakpoint
CREATE INDEX "calls_caller_arrived" ON "telephony"."calls" USING btree ("caller_number", "arrived_at");--> statement-breakpoint
CREATE INDEX "calls_open" ON "telephony"."calls" USING btree ("arrived_at") WHERE "outcome" is null;--> statement-breakpoint
CREATE TABLE "telephony"."calls_default" PARTITION OF "telephony"."calls" DEFAULT;--> statement-breakpoint
SELECT "telephony"."ensure_month_partitions"('telephony.calls', min("arrived_at"), max("arrived_at")) FROM "telephony"."calls_unpartitioned" HAVING count(*) > 0;--> statement-breakpoint
INSERT INTO "telephony"."calls" SELECT * FROM "telephony"."calls_unpartitioned";--> statement-breakpoint
DROP TABLE "telephony"."calls_unpartitioned";--> statement-breakpoint
ALTER TABLE "telephony"."call_events" RENAME TO "call_events_unpartitioned";--> statement-breakpoint
ALTER TABLE "telephony"."call_events_unpartitioned" RENAME CONSTRAINT "call_events_id_at_pk" TO "call_events_unpartitioned_pk";--> statement-breakpoint
ALTER INDEX "telephony"."call_events_call" RENAME TO "call_events_unpartitioned_call";--> statement-breakpoint
ALTER INDEX "telephony"."call_events_court_kind_at" RENAME TO "call_events_unpartitioned_court_kind_at";--> statement-breakpoint
CREATE TABLE "telephony"."call_events" (LIKE "telephony"."call_events_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("at");--> statement-breakpoint
ALTER TABLE "telephony"."call_events" ADD CONSTRAINT "call_events_id_at_pk" PRIMARY KEY ("id", "at");--> statement-breakpoint
CREATE INDEX "call_events_call" ON "telephony"."call_events" USING btree ("call_id", "seq");--> statement-breakpoint
CREATE INDEX "call_events_court_kind_at" ON "telephony"."call_events" USING btree ("court_id", "kind", "at");--> statement-breakpoint
CREATE TABLE "telephony"."call_events_default" PARTITION OF "telephony"."call_events" DEFAULT;--> statement-breakpoint
SELECT "telephony"."ensure_month_partitions"('telephony.call_events', min("at"), max("at")) FROM "telephony"."call_events_unpartitioned" HAVING count(*) > 0;--> statement-breakpoint
INSERT INTO "telephony"."call_events" SELECT * FROM "telephony"."call_events_unpartitioned";--> statement-breakpoint
DROP TABLE "telephony"."call_events_unpartitioned";
