DROP INDEX "kpi"."rollup_daily_court_day";--> statement-breakpoint
DROP INDEX "kpi"."rollup_hourly_court_hour";--> statement-breakpoint
ALTER TABLE "kpi"."rollup_daily" ADD COLUMN "key_set" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "kpi"."rollup_daily" ADD COLUMN "operator_id" uuid;--> statement-breakpoint
ALTER TABLE "kpi"."rollup_daily" ADD COLUMN "department_id" uuid;--> statement-breakpoint
ALTER TABLE "kpi"."rollup_daily" ADD COLUMN "judge_id" uuid;--> statement-breakpoint
ALTER TABLE "kpi"."rollup_daily" ADD COLUMN "category" varchar(64);--> statement-breakpoint
ALTER TABLE "kpi"."rollup_hourly" ADD COLUMN "key_set" smallint DEFAULT 15 NOT NULL;--> statement-breakpoint
CREATE INDEX "rollup_daily_court_keys_day" ON "kpi"."rollup_daily" USING btree ("court_id","key_set","day");--> statement-breakpoint
CREATE INDEX "rollup_hourly_court_keys_hour" ON "kpi"."rollup_hourly" USING btree ("court_id","key_set","hour");