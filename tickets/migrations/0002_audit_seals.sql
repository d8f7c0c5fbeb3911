ALTER TABLE "tickets"."ticket_events" ADD COLUMN "seal_from" bigint;--> statement-breakpoint
ALTER TABLE "tickets"."ticket_events" ADD COLUMN "seal" text;