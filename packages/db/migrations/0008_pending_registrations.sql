CREATE TABLE "registry_pending_registrations" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"model" text NOT NULL,
	"run_id" text NOT NULL,
	"input" jsonb NOT NULL,
	"action" jsonb NOT NULL,
	"digest" text NOT NULL,
	"role" text NOT NULL,
	"alias" text,
	"validation_reason" text,
	"requested_by" text NOT NULL,
	"approval_id" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"version" text,
	"registered_alias" text,
	"registered_by" text,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "registry_pending_registrations_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE INDEX "registry_pending_registrations_status_idx" ON "registry_pending_registrations" USING btree ("status","seq");--> statement-breakpoint
CREATE INDEX "registry_pending_registrations_digest_idx" ON "registry_pending_registrations" USING btree ("digest");--> statement-breakpoint
CREATE INDEX "registry_pending_registrations_approval_idx" ON "registry_pending_registrations" USING btree ("approval_id");