import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { END, START, StateGraph } from "@langchain/langgraph";
import type { ApprovalService } from "@mlops/approvals";
import type { AppDatabase } from "@mlops/db";
import type { JobProducer } from "@mlops/queue";
import type { Planner } from "../planner/planner";
import type { Toolbox } from "../tools/toolbox";
import { createActNode, routeAfterAct } from "./nodes/act/act-node";
import { createAwaitApprovalNode, routeAfterAwaitApproval } from "./nodes/await-approval/await-approval-node";
import { createPlanNode, routeAfterPlan } from "./nodes/plan/plan-node";
import { createReportNode } from "./nodes/report/report-node";
import {
  createRequestApprovalsNode,
  routeAfterRequestApprovals,
} from "./nodes/request-approvals/request-approvals-node";
import { createShowPlanNode, routeAfterShowPlan } from "./nodes/show-plan/show-plan-node";
import { createWaitForJobsNode } from "./nodes/wait-for-jobs/wait-for-jobs-node";
import { ArchitectState } from "./state";

export interface ArchitectGraphOptions {
  planner: Planner;
  /** True for the offline command planner: the report lists each step's result. */
  offlinePlanner: boolean;
  toolbox: Toolbox;
  checkpointer: BaseCheckpointSaver;
  db: AppDatabase;
  jobs?: JobProducer | undefined;
  approvals?: ApprovalService | undefined;
  /** @defaultValue 6 */
  maxRounds?: number;
  /** @defaultValue 10 minutes */
  jobTimeoutMs?: number;
}

/**
 * The architect: plan → show the plan → (ask for approvals → wait for the decision) → act → wait for jobs →
 * plan again with the results, until the planner answers → report.
 */
export function createArchitectGraph(options: ArchitectGraphOptions) {
  const { toolbox, approvals } = options;
  return new StateGraph(ArchitectState)
    .addNode("plan", createPlanNode({ planner: options.planner, toolbox, maxRounds: options.maxRounds ?? 6 }))
    .addNode("show_plan", createShowPlanNode(toolbox))
    .addNode("request_approvals", createRequestApprovalsNode({ toolbox, approvals }))
    .addNode("await_approval", createAwaitApprovalNode(approvals))
    .addNode("act", createActNode({ toolbox, approvals, db: options.db }))
    .addNode(
      "wait_for_jobs",
      createWaitForJobsNode({ toolbox, jobs: options.jobs, timeoutMs: options.jobTimeoutMs ?? 10 * 60_000 }),
    )
    .addNode("report", createReportNode(options.planner, { offline: options.offlinePlanner }))
    .addEdge(START, "plan")
    .addConditionalEdges("plan", routeAfterPlan, ["show_plan", "report"])
    .addConditionalEdges("show_plan", routeAfterShowPlan(toolbox), ["request_approvals", "act"])
    .addConditionalEdges("request_approvals", routeAfterRequestApprovals, ["await_approval", "act"])
    .addConditionalEdges("await_approval", routeAfterAwaitApproval, ["await_approval", "act"])
    .addConditionalEdges("act", routeAfterAct, ["wait_for_jobs", "plan"])
    .addEdge("wait_for_jobs", "plan")
    .addEdge("report", END)
    .compile({ checkpointer: options.checkpointer });
}

export type ArchitectGraph = ReturnType<typeof createArchitectGraph>;
