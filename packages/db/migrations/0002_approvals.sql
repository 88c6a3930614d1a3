CREATE TABLE "approval_decisions" (
	"id" text PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"approver" text NOT NULL,
	"decision" text NOT NULL,
	"channel" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "approval_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"digest" text NOT NULL,
	"kind" text NOT NULL,
	"target" text NOT NULL,
	"action" jsonb NOT NULL,
	"requested_by" text NOT NULL,
	"requested_via" text NOT NULL,
	"reason" text NOT NULL,
	"risk" jsonb NOT NULL,
	"policy" jsonb NOT NULL,
	"required_approvals" integer DEFAULT 1 NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"used_at" timestamp with time zone,
	"used_by" text,
	"slack_channel" text,
	"slack_ts" text
);
--> statement-breakpoint
ALTER TABLE "approval_decisions" ADD CONSTRAINT "approval_decisions_request_id_approval_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."approval_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "approval_decisions_request_approver_idx" ON "approval_decisions" USING btree ("request_id","approver");--> statement-breakpoint
CREATE INDEX "approval_requests_digest_idx" ON "approval_requests" USING btree ("digest");--> statement-breakpoint
CREATE INDEX "approval_requests_status_idx" ON "approval_requests" USING btree ("status");