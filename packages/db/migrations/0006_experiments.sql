CREATE TABLE "experiment_items" (
	"experiment_id" text NOT NULL,
	"split" text NOT NULL,
	"idx" integer NOT NULL,
	"source_row" integer NOT NULL,
	"text" text NOT NULL,
	"category" text NOT NULL,
	"sentiment" text,
	CONSTRAINT "experiment_items_experiment_id_split_idx_pk" PRIMARY KEY("experiment_id","split","idx")
);
--> statement-breakpoint
CREATE TABLE "experiment_models" (
	"experiment_id" text NOT NULL,
	"model" text NOT NULL,
	"position" integer NOT NULL,
	"kind" text NOT NULL,
	"endpoint" text,
	"track" text NOT NULL,
	"tasks" jsonb NOT NULL,
	"info" jsonb,
	"status" text DEFAULT 'pending' NOT NULL,
	"error" text,
	CONSTRAINT "experiment_models_experiment_id_model_pk" PRIMARY KEY("experiment_id","model")
);
--> statement-breakpoint
CREATE TABLE "experiment_predictions" (
	"experiment_id" text NOT NULL,
	"model" text NOT NULL,
	"item_idx" integer NOT NULL,
	"category" text,
	"sentiment" text,
	"problems" text,
	"raw" text,
	"latency_ms" double precision NOT NULL,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"cached" boolean DEFAULT false NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"worker" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "experiment_predictions_experiment_id_model_item_idx_pk" PRIMARY KEY("experiment_id","model","item_idx")
);
--> statement-breakpoint
CREATE TABLE "experiments" (
	"id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"stop_requested" text,
	"spec" jsonb NOT NULL,
	"dataset" jsonb,
	"prompt_version" text,
	"labels" jsonb,
	"item_count" integer DEFAULT 0 NOT NULL,
	"shard_size" integer DEFAULT 0 NOT NULL,
	"max_cost_usd" double precision,
	"reserved_cost_usd" double precision DEFAULT 0 NOT NULL,
	"report" jsonb,
	"error" text,
	"requested_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "experiment_items" ADD CONSTRAINT "experiment_items_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_models" ADD CONSTRAINT "experiment_models_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_predictions" ADD CONSTRAINT "experiment_predictions_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "experiments_created_at_idx" ON "experiments" USING btree ("created_at");