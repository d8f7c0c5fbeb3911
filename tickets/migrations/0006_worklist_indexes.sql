CREATE INDEX "tickets_court_deadline" ON "tickets"."tickets" USING btree ("court_id","deadline","id");--> statement-breakpoint
CREATE INDEX "tickets_court_created" ON "tickets"."tickets" USING btree ("court_id","created_at","id");--> statement-breakpoint
CREATE INDEX "tickets_court_updated" ON "tickets"."tickets" USING btree ("court_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "tickets_department_deadline" ON "tickets"."tickets" USING btree ("handler_department_id","deadline","id");--> statement-breakpoint
CREATE INDEX "tickets_owner_created" ON "tickets"."tickets" USING btree ("owner_id","created_at","id");--> statement-breakpoint
CREATE INDEX "tickets_case_number" ON "tickets"."tickets" USING btree ("case_number");--> statement-breakpoint
-- The work list's free text (summary and details, ILIKE '%…%') through a trigram index. pg_trgm ships with
-- PostgreSQL's contrib (a trusted extension since 13); where it cannot be created (the embedded PGlite loads no
-- extension) the migration goes on without it and the search scans the court's rows instead.
DO $$
BEGIN
  BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%): the work list''s text search will not use an index', SQLERRM;
  END;
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    EXECUTE format(
      'CREATE INDEX IF NOT EXISTS tickets_text_trgm ON tickets.tickets USING gin ((summary || %L || details) %I.gin_trgm_ops)',
      ' ',
      (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm')
    );
  END IF;
END
$$;
