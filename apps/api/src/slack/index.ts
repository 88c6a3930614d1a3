export {
  APPROVE_ACTION_ID,
  approvalMessage,
  REJECT_ACTION_ID,
} from "./approval-blocks";
export { parseSlackConfig, type SlackConfig, slackConfigSchema } from "./slack-config";
export { createSlackApprovalNotifier, type SlackApprovalNotifierOptions } from "./slack-notifier";
export { type SlackRoutesDeps, slackRoutes } from "./slack-routes";
export { createSlackWebApi, type SlackMessageRef, type SlackWebApi, type SlackWebApiOptions } from "./slack-web-api";
export {
  createMemoryReplayGuard,
  type ReplayGuard,
  type SlackVerification,
  verifySlackRequest,
} from "./verify-slack-request";
