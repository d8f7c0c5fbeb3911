CREATE INDEX "tickets_open_court_deadline" ON "tickets"."tickets" USING btree ("court_id","deadline","id") WHERE stage not in ('closed', 'void') and delivered_at is null;--> statement-breakpoint
CREATE INDEX "tickets_open_department_deadline" ON "tickets"."tickets" USING btree ("handler_department_id","deadline","id") WHERE stage not in ('closed', 'void') and delivered_at is null;--> statement-breakpoint
-- A part of a case number (民初1234) through a trigram index, where pg_trgm is installed (migration 0006).
DO $$
DECLARE
  trgm_schema text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm');
BEGIN
  IF trgm_schema IS NOT NULL THEN
    EXECUTE format('CREATE INDEX IF NOT EXISTS tickets_case_number_trgm ON tickets.tickets USING gin (case_number %I.gin_trgm_ops)', trgm_schema);
  END IF;
END
$$;
