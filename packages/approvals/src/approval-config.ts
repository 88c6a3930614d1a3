import { z } from "zod";
import { ACTION_KINDS } from "./action-spec";
import { ApprovalError } from "./approval-error";

const userList = z.array(z.string().min(1)).default([]);

/** A rule overrides who may approve and how many must, for the action kinds (and targets) it names. */
export const approvalRuleSchema = z.object({
  kinds: z.array(z.enum(ACTION_KINDS)).min(1).describe("Action kinds the rule applies to"),
  targets: z
    .array(z.string().min(1))
    .optional()
    .describe("Targets it applies to; `*` at the end matches a prefix (main.gold.*). Default: every target"),
  users: userList.describe("Users who may approve, instead of the default approvers"),
  groups: userList.describe("Groups (from approvers.groups) who may approve"),
  requiredApprovals: z.number().int().min(1).max(10).optional().describe("How many distinct people must approve"),
});
export type ApprovalRule = z.infer<typeof approvalRuleSchema>;

/**
 * The `approvals:` section of mlops.config.yaml.
 *
 * @example
 * approvals:
 *   approvers:
 *     users: [ana]
 *     groups: { ml-leads: [bo, chen] }
 *   rules:
 *     - { kinds: [registry.promote], groups: [ml-leads] }
 *   expiryHours: 24
 *   slackUsers: { U0123ABC: ana }
 */
export const approvalConfigSchema = z
  .object({
    approvers: z
      .object({
        users: userList.describe("Users who may approve any action"),
        groups: z
          .record(z.string().min(1), z.array(z.string().min(1)))
          .default({})
          .describe("Group → members"),
      })
      .default({ users: [], groups: {} }),
    /** Approving groups by default: every group in `approvers.groups` unless this lists some. */
    defaultGroups: z.array(z.string().min(1)).optional(),
    rules: z.array(approvalRuleSchema).default([]),
    /** @defaultValue 24 */
    expiryHours: z
      .number()
      .positive()
      .max(24 * 30)
      .default(24),
    /** Approvals needed for an irreversible action (VACUUM, DROP, TRUNCATE, deleting a model version). @defaultValue 2 */
    irreversibleApprovals: z.number().int().min(1).max(10).default(2),
    /** Slack user id → approver name. */
    slackUsers: z.record(z.string().regex(/^[UW][A-Z0-9]+$/), z.string().min(1)).default({}),
  })
  .strict();
export type ApprovalConfig = z.output<typeof approvalConfigSchema>;
export type ApprovalConfigInput = z.input<typeof approvalConfigSchema>;

/**
 * Validates the `approvals:` section (`config.sections.approvals`). Missing means nobody may approve anything,
 * which refuses every guarded action: fail closed.
 */
export function parseApprovalConfig(section: unknown): ApprovalConfig {
  const result = approvalConfigSchema.safeParse(section ?? {});
  if (!result.success) {
    const fields = result.error.issues.map((i) => `approvals.${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ApprovalError("APPROVAL_CONFIG_INVALID", `Invalid approvals configuration: ${fields}`, {
      hint: "Fix the approvals: section of mlops.config.yaml.",
      context: { issues: result.error.issues },
    });
  }
  return result.data;
}
