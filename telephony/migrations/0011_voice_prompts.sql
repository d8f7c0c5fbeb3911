CREATE TABLE "telephony"."court_prompts" (
	"court_id" uuid NOT NULL,
	"prompt" varchar(64) NOT NULL,
	"source" varchar(16) NOT NULL,
	"text" text,
	"file_name" varchar(255),
	"audio" "bytea" NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"duration_ms" integer NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "court_prompts_court_id_prompt_pk" PRIMARY KEY("court_id","prompt"),
	CONSTRAINT "court_prompts_source" CHECK ("telephony"."court_prompts"."source" in ('upload', 'text'))
);
--> statement-breakpoint
ALTER TABLE "telephony"."court_prompts" ADD CONSTRAINT "court_prompts_court_id_courts_id_fk" FOREIGN KEY ("court_id") REFERENCES "platform"."courts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telephony"."court_prompts" ADD CONSTRAINT "court_prompts_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "platform"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "court_prompts_sha256" ON "telephony"."court_prompts" USING btree ("sha256");