// Channel "in-app": the notification row is the message. Sending marks it delivered, and it then
// shows in the recipient's inbox (the employee's self-service page, or HR's inbox) until read.
import { defineChannel, definePlugin } from "../../rules";

export const inAppChannel = defineChannel({
  name: "in-app",
  description: "the recipient's inbox in Ordo (employee self-service, HR's inbox)",
  settings: { type: "object", additionalProperties: false, properties: {} },
  enabledByDefault: true,
  send: async () => ({ ok: true }),
});

export default definePlugin({
  name: "channel-in-app",
  setup(api) {
    api.addChannel(inAppChannel);
  },
});
