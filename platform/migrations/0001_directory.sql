CREATE TYPE "platform"."user_role" AS ENUM('operator', 'judge', 'department_head', 'manager', 'admin');--> statement-breakpoint
CREATE TABLE "platform"."departments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"court_id" uuid NOT NULL,
	"name" text NOT NULL,
	"extension" varchar(64),
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "platform"."users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"court_id" uuid NOT NULL,
	"username" varchar(64) NOT NULL,
	"display_name" text NOT NULL,
	"role" "platform"."user_role" NOT NULL,
	"department_id" uuid,
	"sip_endpoint" varchar(64),
	"extension" varchar(64),
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "platform"."departments" ADD CONSTRAINT "departments_court_id_courts_id_fk" FOREIGN KEY ("court_id") REFERENCES "platform"."courts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform"."users" ADD CONSTRAINT "users_court_id_courts_id_fk" FOREIGN KEY ("court_id") REFERENCES "platform"."courts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform"."users" ADD CONSTRAINT "users_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "platform"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "departments_court_name" ON "platform"."departments" USING btree ("court_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username" ON "platform"."users" USING btree ("username");--> statement-breakpoint
CREATE INDEX "users_court_role" ON "platform"."users" USING btree ("court_id","role");--> statement-breakpoint
CREATE INDEX "users_department" ON "platform"."users" USING btree ("department_id");