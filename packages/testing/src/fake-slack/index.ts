export {
  type FakeSlack,
  type FakeSlackCall,
  type FakeSlackMessage,
  signSlackRequest,
  startFakeSlack,
} from "./fake-slack";
