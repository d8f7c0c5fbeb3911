ALTER TABLE "tickets"."deliveries" ADD COLUMN "outbound_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets"."deliveries" ADD COLUMN "call_id" uuid;--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_outbound" ON "tickets"."deliveries" USING btree ("outbound_id") WHERE outbound_id is not null;