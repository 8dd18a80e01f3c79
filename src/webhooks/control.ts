// What the admin API needs of the webhooks' dispatcher (src/webhooks/dispatcher.ts), through the
// request's context: where a URL may point, and a way to say an endpoint's row changed.
import type { OutboundPolicy } from '../outbound/request.js'

export interface WebhookControl {
  /** the policy deliveries go out under: a URL is checked against it when registered */
  policy: OutboundPolicy
  /** Endpoint `changed` was written (or deleted): its follower stops at once (a delivery already
   *  sent finishes), and the set of endpoints is read again; resolves once it has been. */
  reload(changed?: string): Promise<void>
}
