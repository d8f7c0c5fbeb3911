CREATE TABLE "platform"."sip_credentials" (
	"endpoint" varchar(64) PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"sealed" text NOT NULL,
	"rotated_at" timestamp with time zone DEFAULT now() NOT NULL
);
