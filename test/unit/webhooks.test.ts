// What a webhook delivery carries: who may hear of a change and what of it the public may learn,
// the signatures (checked with Standard Webhooks' own verifier), and how a failure is told.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import type { Change } from '../../src/live/changes.js'
import { changeForClients, forThePublic } from '../../src/live/client-change.js'
import { publicMayHear } from '../../src/live/filters.js'
import { answerError, requestError } from '../../src/webhooks/attempts.js'
import { newSecret, signedHeaders, signingSecrets } from '../../src/webhooks/signing.js'

const STORY = '0190a000-0000-7000-8000-000000000001'
const ORIGINAL = '0190a000-0000-7000-8000-000000000002'
const EDITION = '0190a000-0000-7000-8000-000000000003'
const TAG = '0190a000-0000-7000-8000-000000000004'

const storyChange = (facts: object, topics: string[] = []): Change =>
  ({
    seq: 42n,
    at: new Date('2026-01-02T03:04:05.000Z'),
    kind: 'story.corrected',
    objectType: 'Story',
    objectId: STORY,
    topics: [`story:${STORY}`, ...topics],
    facts: {
      version: 3,
      from: 'PUBLISHED',
      to: 'PUBLISHED',
      public: true,
      notice: false,
      urgency: 3,
      language: 'en',
      ...facts,
    },
  }) as Change

describe('what the public hears of', () => {
  it('a story change the public could read, or the withdrawal of one it read; events and entities', () => {
    expect(publicMayHear(storyChange({}))).toBe(true)
    expect(publicMayHear(storyChange({ public: false, to: 'DRAFT' }))).toBe(false)
    expect(publicMayHear(storyChange({ public: false, notice: true, to: 'WITHDRAWN' }))).toBe(true)
    const event = { ...storyChange({}), objectType: 'Event', kind: 'event.updated', facts: { version: 2 } } as Change
    expect(publicMayHear(event)).toBe(true)
  })

  it('loses what may name a story the public cannot read: editions, originals, reporters', () => {
    const corrected = storyChange(
      {
        editions: [EDITION],
        edition: { kind: 'TRANSLATION', of: ORIGINAL },
        correction: { id: TAG, kind: 'CORRECTION' },
      },
      [`tag:${TAG}`, `story:${ORIGINAL}`, `story:${EDITION}`],
    )
    const told = changeForClients(forThePublic(corrected))
    expect(told.topics).toEqual([encodeGlobalID('Story', STORY), encodeGlobalID('Tag', TAG)])
    expect(told.facts).toEqual({
      version: 3,
      from: 'PUBLISHED',
      to: 'PUBLISHED',
      public: true,
      notice: false,
      urgency: 3,
      language: 'en',
      edition: { kind: 'TRANSLATION' },
      correction: { id: encodeGlobalID('Correction', TAG), kind: 'CORRECTION' },
    })
    expect(JSON.stringify(told)).not.toMatch(new RegExp(`${ORIGINAL}|${EDITION}`))
    // the newsroom's view keeps them, as global ids
    const full = changeForClients(corrected)
    expect(full.facts).toMatchObject({
      editions: [encodeGlobalID('Story', EDITION)],
      edition: { kind: 'TRANSLATION', of: encodeGlobalID('Story', ORIGINAL) },
    })

    const status = {
      ...corrected,
      kind: 'event.status_changed',
      objectType: 'Event',
      topics: [`event:${TAG}`],
      facts: {
        version: 2,
        statusChange: {
          id: TAG,
          from: 'SUSPENDED',
          to: 'RESUMED',
          at: 'x',
          note: null,
          reportedBy: ORIGINAL,
          expectedStart: null,
        },
      },
    } as unknown as Change
    expect(JSON.stringify(changeForClients(forThePublic(status)))).not.toContain(encodeGlobalID('Story', ORIGINAL))
    expect(JSON.stringify(changeForClients(status))).toContain(encodeGlobalID('Story', ORIGINAL))
  })
})

describe('signatures', () => {
  it('sign with every secret in use, each verifying on its own', () => {
    const [current, old] = [newSecret(), newSecret()]
    const at = new Date()
    const during = signingSecrets(
      { secret: current, previousSecret: old, previousSecretUntil: new Date(Date.now() + 60_000) },
      at,
    )
    expect(during).toEqual([current, old])
    const headers = signedHeaders(during, '42', at, '{"type":"story.published"}')
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2)
    for (const secret of [current, old])
      expect(new Webhook(secret).verify('{"type":"story.published"}', headers)).toEqual({ type: 'story.published' })
    expect(() => new Webhook(newSecret()).verify('{"type":"story.published"}', headers)).toThrow(
      /No matching signature/,
    )

    const after = signingSecrets(
      { secret: current, previousSecret: old, previousSecretUntil: new Date(at.getTime() - 1) },
      at,
    )
    expect(after).toEqual([current])
  })
})

describe('failures, briefly', () => {
  it('an answer: its status and the start of its body, in one line', () => {
    expect(answerError(500, '')).toBe('HTTP 500')
    expect(answerError(502, '<html>\n  Bad gateway\n</html>')).toBe('HTTP 502: <html> Bad gateway </html>')
    expect(answerError(500, 'x'.repeat(1000))).toHaveLength(200)
  })

  it('no answer: a timeout says so; otherwise the message, without a stack', () => {
    const timeout = Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' })
    expect(requestError(timeout, 5000)).toBe('no answer within 5000 ms')
    expect(requestError(new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 100)).toBe(
      'no answer within 100 ms',
    )
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })
    expect(requestError(refused, 100)).toBe('connect ECONNREFUSED 127.0.0.1:9')
  })
})
