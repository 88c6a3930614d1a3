CREATE TABLE "registry_alias_events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"model" text NOT NULL,
	"alias" text NOT NULL,
	"action" text NOT NULL,
	"version" text,
	"previous_version" text,
	"actor" text NOT NULL,
	"cause" text NOT NULL,
	"reason" text,
	"approval_id" text,
	"approval_digest" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registry_alias_events_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "tracking_outbox" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"synced_at" timestamp with time zone,
	CONSTRAINT "tracking_outbox_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE INDEX "registry_alias_events_model_idx" ON "registry_alias_events" USING btree ("model","alias");--> statement-breakpoint
CREATE INDEX "tracking_outbox_status_idx" ON "tracking_outbox" USING btree ("status","seq");