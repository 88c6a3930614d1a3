import type { ApprovalNotifier, ApprovalRequest } from "@mlops/approvals";
import { approvalMessage } from "./approval-blocks";
import type { SlackMessageRef, SlackWebApi } from "./slack-web-api";

export interface SlackApprovalNotifierOptions {
  web: SlackWebApi;
  /** Channel id where requests are posted. */
  channel: string;
  /** Stores where the message went (ApprovalService.attachSlackMessage), so decisions update it in place. */
  onPosted: (id: string, message: SlackMessageRef) => Promise<void>;
}

/** Posts each new request to Slack and updates that message (chat.update) with every decision, whatever its channel. */
export function createSlackApprovalNotifier(options: SlackApprovalNotifierOptions): ApprovalNotifier {
  return {
    async requested(request: ApprovalRequest) {
      const message = await options.web.postMessage({ channel: options.channel, ...approvalMessage(request) });
      await options.onPosted(request.id, message);
    },
    async decided(request: ApprovalRequest) {
      if (!request.slack) return;
      await options.web.update({ ...request.slack, ...approvalMessage(request) });
    },
  };
}
