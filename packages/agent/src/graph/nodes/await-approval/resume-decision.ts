import { z } from "zod";

/** A person's answer to an approval interrupt. */
export const resumeDecisionSchema = z.object({
  decision: z
    .enum(["approve", "reject", "check"])
    .describe("approve or reject every pending approval of the plan; check: re-read them (decided elsewhere)"),
  approver: z.string().min(1).describe("Who decides (their user name, as the approvals configuration knows it)"),
  reason: z.string().max(2000).optional().describe("Why; required to reject"),
  channel: z.string().min(1).default("api").describe("Where the decision was made: api, cli, slack, web"),
});

export type ResumeDecision = z.output<typeof resumeDecisionSchema>;
export type ResumeDecisionInput = z.input<typeof resumeDecisionSchema>;
