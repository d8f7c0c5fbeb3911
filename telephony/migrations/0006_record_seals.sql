CREATE TABLE "telephony"."record_seals" (
	"stream" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"prev" varchar(64) NOT NULL,
	"root" varchar(64) NOT NULL,
	"leaves" jsonb NOT NULL,
	"hash" varchar(64) NOT NULL,
	"seal" text NOT NULL,
	"sealed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "record_seals_stream_court_id_seq_pk" PRIMARY KEY("stream","court_id","seq")
);
