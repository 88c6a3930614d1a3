CREATE TABLE "pipeline_expectation_results" (
	"id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"step" text NOT NULL,
	"target_table" text NOT NULL,
	"name" text NOT NULL,
	"condition" text NOT NULL,
	"action" text NOT NULL,
	"total_rows" bigint NOT NULL,
	"failed_rows" bigint NOT NULL,
	"outcome" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pipeline_lineage" (
	"id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"step" text NOT NULL,
	"target_table" text NOT NULL,
	"source" text NOT NULL,
	"source_kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pipeline_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"pipeline" text NOT NULL,
	"spec_digest" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"from_step" text,
	"resumed_from" text,
	"backfill" jsonb,
	"failed_step" text,
	"error" text,
	"requested_by" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "pipeline_schema_snapshots" (
	"id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"target_table" text NOT NULL,
	"columns" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pipeline_step_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"step" text NOT NULL,
	"target_table" text NOT NULL,
	"layer" text NOT NULL,
	"mode" text NOT NULL,
	"status" text NOT NULL,
	"rows_in" bigint,
	"rows_written" bigint,
	"rows_dropped" bigint,
	"attempt" integer DEFAULT 1 NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "pipeline_expectation_results" ADD CONSTRAINT "pipeline_expectation_results_run_id_pipeline_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."pipeline_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pipeline_lineage" ADD CONSTRAINT "pipeline_lineage_run_id_pipeline_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."pipeline_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pipeline_schema_snapshots" ADD CONSTRAINT "pipeline_schema_snapshots_run_id_pipeline_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."pipeline_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pipeline_step_runs" ADD CONSTRAINT "pipeline_step_runs_run_id_pipeline_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."pipeline_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pipeline_expectation_results_run_idx" ON "pipeline_expectation_results" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "pipeline_lineage_target_idx" ON "pipeline_lineage" USING btree ("target_table");--> statement-breakpoint
CREATE INDEX "pipeline_lineage_source_idx" ON "pipeline_lineage" USING btree ("source");--> statement-breakpoint
CREATE INDEX "pipeline_runs_pipeline_idx" ON "pipeline_runs" USING btree ("pipeline","started_at");--> statement-breakpoint
CREATE INDEX "pipeline_schema_snapshots_table_idx" ON "pipeline_schema_snapshots" USING btree ("target_table","created_at");--> statement-breakpoint
CREATE INDEX "pipeline_step_runs_run_idx" ON "pipeline_step_runs" USING btree ("run_id");