CREATE TABLE "api"."knowledge_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"court_id" uuid NOT NULL,
	"category" varchar(64) NOT NULL,
	"question" text NOT NULL,
	"answer" text NOT NULL,
	"keywords" text[] DEFAULT '{}' NOT NULL,
	"source" text,
	"active" boolean DEFAULT true NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api"."knowledge_entries" ADD CONSTRAINT "knowledge_entries_court_id_courts_id_fk" FOREIGN KEY ("court_id") REFERENCES "platform"."courts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api"."knowledge_entries" ADD CONSTRAINT "knowledge_entries_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "platform"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "knowledge_entries_court" ON "api"."knowledge_entries" USING btree ("court_id","category");