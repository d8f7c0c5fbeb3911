CREATE SCHEMA "platform";
--> statement-breakpoint
CREATE TABLE "platform"."courts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" varchar(32) NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "courts_code_unique" UNIQUE("code")
);
