CREATE TABLE "telephony"."recording_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_id" uuid NOT NULL,
	"kind" "telephony"."recording_kind" NOT NULL,
	"court_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"placed_by" uuid NOT NULL,
	"placed_at" timestamp (3) with time zone NOT NULL,
	"lifted_by" uuid,
	"lifted_at" timestamp (3) with time zone,
	"lift_reason" text
);
--> statement-breakpoint
CREATE TABLE "telephony"."recording_retention" (
	"court_id" uuid PRIMARY KEY NOT NULL,
	"days" smallint NOT NULL,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "telephony"."recording_holds" ADD CONSTRAINT "recording_holds_recording_fk" FOREIGN KEY ("call_id","kind") REFERENCES "telephony"."recordings"("call_id","kind") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "recording_holds_active" ON "telephony"."recording_holds" USING btree ("call_id","kind") WHERE "telephony"."recording_holds"."lifted_at" is null;--> statement-breakpoint
CREATE INDEX "recording_holds_court_placed" ON "telephony"."recording_holds" USING btree ("court_id","placed_at");