// Webhook secrets and signatures, as Standard Webhooks has them (https://www.standardwebhooks.com):
// a secret is `whsec_` and base64 of random bytes; a delivery carries webhook-id, webhook-timestamp
// and webhook-signature, `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per secret in use,
// space-separated (during a rotation's overlap, the new secret's and the old one's).
import { randomBytes } from 'node:crypto'
import { Webhook } from 'standardwebhooks'

/** A new secret: 32 random bytes. Shown to the admin once; kept for signing, never read back. */
export const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`

/** The secrets a delivery is signed with now: the current one, and the one it replaced while its overlap lasts. */
export function signingSecrets(
  endpoint: { secret: string; previousSecret: string | null; previousSecretUntil: Date | null },
  now = new Date(),
): string[] {
  const overlap = endpoint.previousSecret && endpoint.previousSecretUntil && endpoint.previousSecretUntil > now
  return overlap ? [endpoint.secret, endpoint.previousSecret!] : [endpoint.secret]
}

/** The headers of one delivery of `body` as message `id`, signed at `at`. */
export function signedHeaders(secrets: string[], id: string, at: Date, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' '),
    'content-type': 'application/json',
    'user-agent': 'news-graph-webhooks',
  }
}
