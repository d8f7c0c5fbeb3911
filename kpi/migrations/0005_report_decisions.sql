CREATE TABLE "kpi"."report_decision_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"court_id" uuid NOT NULL,
	"decision_id" bigint NOT NULL,
	"action" varchar(16) NOT NULL,
	"actor_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"before" jsonb,
	"after" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi"."report_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"court_id" uuid NOT NULL,
	"report_id" bigint NOT NULL,
	"text" text NOT NULL,
	"owner_user_id" uuid NOT NULL,
	"due_date" date NOT NULL,
	"state" varchar(16) DEFAULT 'open' NOT NULL,
	"state_note" text,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"state_changed_by" uuid,
	"state_changed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "kpi"."report_decision_changes" ADD CONSTRAINT "report_decision_changes_decision_id_report_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "kpi"."report_decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi"."report_decisions" ADD CONSTRAINT "report_decisions_report_id_weekly_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "kpi"."weekly_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_decision_changes_decision" ON "kpi"."report_decision_changes" USING btree ("decision_id");--> statement-breakpoint
CREATE INDEX "report_decisions_court_report" ON "kpi"."report_decisions" USING btree ("court_id","report_id");--> statement-breakpoint
CREATE INDEX "report_decisions_court_state" ON "kpi"."report_decisions" USING btree ("court_id","state");