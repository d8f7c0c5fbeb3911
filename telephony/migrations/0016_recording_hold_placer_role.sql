-- A hold's weight is its placer's role when placed; holds placed before this keep their placer's role now (a placer
-- no longer a head, manager or admin counts as admin: only the admin lifts it).
ALTER TABLE "telephony"."recording_holds" ADD COLUMN "placed_by_role" varchar(16);--> statement-breakpoint
UPDATE "telephony"."recording_holds" AS h SET "placed_by_role" = CASE WHEN u."role"::text IN ('department_head', 'manager', 'admin') THEN u."role"::text ELSE 'admin' END FROM "platform"."users" AS u WHERE u."id" = h."placed_by";--> statement-breakpoint
UPDATE "telephony"."recording_holds" SET "placed_by_role" = 'admin' WHERE "placed_by_role" IS NULL;--> statement-breakpoint
ALTER TABLE "telephony"."recording_holds" ALTER COLUMN "placed_by_role" SET NOT NULL;
