CREATE TABLE "kpi"."recount_memos" (
	"court_id" uuid NOT NULL,
	"month" date NOT NULL,
	"query_key" varchar(64) NOT NULL,
	"digest" varchar(64) NOT NULL,
	"rows" jsonb NOT NULL,
	"key_id" varchar(16) NOT NULL,
	"signature" text NOT NULL,
	"made_at" timestamp with time zone NOT NULL,
	CONSTRAINT "recount_memos_court_id_month_query_key_pk" PRIMARY KEY("court_id","month","query_key")
);
