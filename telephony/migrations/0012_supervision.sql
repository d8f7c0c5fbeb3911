ALTER TYPE "telephony"."call_event_kind" ADD VALUE 'supervision_started';--> statement-breakpoint
ALTER TYPE "telephony"."call_event_kind" ADD VALUE 'supervision_switched';--> statement-breakpoint
ALTER TYPE "telephony"."call_event_kind" ADD VALUE 'supervision_stopped';--> statement-breakpoint
CREATE TABLE "telephony"."court_call_settings" (
	"court_id" uuid PRIMARY KEY NOT NULL,
	"supervision_notice" boolean DEFAULT false NOT NULL,
	"recording_notice" boolean DEFAULT false NOT NULL,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
