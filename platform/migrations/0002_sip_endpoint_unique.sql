CREATE TABLE "platform"."sip_endpoint_renames" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"court_id" uuid NOT NULL,
	"from_endpoint" varchar(64) NOT NULL,
	"to_endpoint" varchar(64) NOT NULL,
	"note" text DEFAULT 'duplicate endpoint renamed by migration' NOT NULL,
	"renamed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone
);
--> statement-breakpoint
-- Hand-written (docs/telephony.md, endpoints): a database where two users share an endpoint must still migrate.
-- The earliest-created user keeps the name; each later one is renamed to <name>-<8 hex of its id> and listed in
-- sip_endpoint_renames, which the start-up check logs at error and the court's admin sees until confirmed.
WITH ranked AS (
	SELECT "id", "sip_endpoint", row_number() OVER (PARTITION BY "sip_endpoint" ORDER BY "created_at", "id") AS n
	FROM "platform"."users" WHERE "sip_endpoint" IS NOT NULL
), renamed AS (
	UPDATE "platform"."users" u SET "sip_endpoint" = left(r."sip_endpoint", 55) || '-' || left(replace(u."id"::text, '-', ''), 8)
	FROM ranked r WHERE r."id" = u."id" AND r.n > 1
	RETURNING u."id", u."court_id", r."sip_endpoint" AS was, u."sip_endpoint" AS now
)
INSERT INTO "platform"."sip_endpoint_renames" ("user_id", "court_id", "from_endpoint", "to_endpoint")
SELECT "id", "court_id", was, now FROM renamed;--> statement-breakpoint
CREATE UNIQUE INDEX "users_sip_endpoint" ON "platform"."users" USING btree ("sip_endpoint");