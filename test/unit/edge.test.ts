// The edge's rules and headers as pure functions (src/edge/rules.ts, src/edge/headers.ts), the
// settings that hold them, and who must carry the CSRF header (src/server/csrf.ts).
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import {
  addVary,
  keyHeaders,
  KEY_HEADERS,
  matchesEtag,
  MAX_KEY_HEADER_BYTES,
  strongEtag,
} from '../../src/edge/headers.js'
import { ALL, answerKeys, edgeKey } from '../../src/edge/keys.js'
import { checkRuleNames, lifetimesOf, parseCacheRules, publicCacheControl } from '../../src/edge/rules.js'
import type { StoryChangeEntry, StoryFacts } from '../../src/live/changes.js'
import {
  invalidatedBy,
  isInvalidatable,
  MISSING,
  objectKey,
  storiesOf,
  STORY_LIST,
} from '../../src/live/invalidation.js'
import { schema } from '../../src/schema/index.js'
import { carriesAmbientCredentials } from '../../src/server/csrf.js'

const DEFAULTS = { 'max-age': 10, 's-maxage': 60, 'stale-while-revalidate': 30 }

describe('EDGE_CACHE_RULES', () => {
  it('reads name=directive:seconds,… separated by semicolons', () => {
    expect(parseCacheRules(' search = max-age:10, s-maxage:60 ; Event=s-maxage:300;')).toEqual(
      new Map([
        ['search', { 'max-age': 10, 's-maxage': 60 }],
        ['Event', { 's-maxage': 300 }],
      ]),
    )
    expect(parseCacheRules('')).toEqual(new Map())
  })

  it.each([
    ['search', /is not name=directive:seconds/],
    ['search=max-age', /needs whole seconds/],
    ['search=max-age:-1', /needs whole seconds/],
    ['search=max-age:1.5', /needs whole seconds/],
    ['search=max-age:31536001', /needs whole seconds from 0 to 31536000/],
    ['search=maxage:10', /is not one of max-age, s-maxage, stale-while-revalidate/],
    ['search=s-maxage:1;search=max-age:1', /search has two rules/],
    ['a.b=s-maxage:1', /is not name=directive:seconds/],
  ])('refuses %s', (text, message) => {
    expect(() => parseCacheRules(text)).toThrow(message)
    expect(() => loadConfig({ EDGE_CACHE_RULES: text })).toThrow(/EDGE_CACHE_RULES/)
  })

  it('names root query fields and object types only, or the server does not start', () => {
    expect(() =>
      checkRuleNames(parseCacheRules('search=s-maxage:1;story=s-maxage:1;Event=s-maxage:1'), schema),
    ).not.toThrow()
    expect(() => checkRuleNames(parseCacheRules('serach=s-maxage:1;Evnt=s-maxage:1'), schema)).toThrow(
      'EDGE_CACHE_RULES names serach, Evnt, neither a root query field nor an object type',
    )
  })

  it('gives an answer the lowest value of the rules it matches, the defaults for the rest', () => {
    const rules = parseCacheRules('search=max-age:5,s-maxage:30;Event=s-maxage:300;story=s-maxage:20')
    expect(lifetimesOf(DEFAULTS, rules, ['tag', 'Story'])).toEqual(DEFAULTS)
    expect(lifetimesOf(DEFAULTS, rules, ['search', 'Story'])).toEqual({ ...DEFAULTS, 'max-age': 5, 's-maxage': 30 })
    expect(lifetimesOf(DEFAULTS, rules, ['event', 'Event'])).toEqual({ ...DEFAULTS, 's-maxage': 300 })
    expect(lifetimesOf(DEFAULTS, rules, ['story', 'Event'])).toEqual({ ...DEFAULTS, 'max-age': 10, 's-maxage': 20 })
  })

  it('never lets a browser keep an answer longer than a shared cache', () => {
    expect(lifetimesOf(DEFAULTS, parseCacheRules('search=s-maxage:3'), ['search'])).toMatchObject({
      'max-age': 3,
      's-maxage': 3,
    })
    expect(publicCacheControl(DEFAULTS)).toBe('public, max-age=10, s-maxage=60, stale-while-revalidate=30')
  })
})

describe('the settings', () => {
  it('are on, with short lifetimes, every key header, and no rules by default', () => {
    expect(loadConfig({})).toMatchObject({
      EDGE_CACHE: true,
      EDGE_MAX_AGE_SECONDS: 10,
      EDGE_S_MAXAGE_SECONDS: 60,
      EDGE_STALE_WHILE_REVALIDATE_SECONDS: 30,
      EDGE_CACHE_RULES: new Map(),
      EDGE_KEY_HEADERS: [...KEY_HEADERS],
    })
  })

  it('name the variable at fault', () => {
    expect(loadConfig({ EDGE_KEY_HEADERS: ' XKey ,xkey' }).EDGE_KEY_HEADERS).toEqual(['xkey'])
    expect(() => loadConfig({ EDGE_KEY_HEADERS: 'xkey,fastly' })).toThrow(/EDGE_KEY_HEADERS: must name one or more/)
    expect(() => loadConfig({ EDGE_KEY_HEADERS: '' })).toThrow(/EDGE_KEY_HEADERS/)
    expect(() => loadConfig({ EDGE_S_MAXAGE_SECONDS: '-1' })).toThrow(/EDGE_S_MAXAGE_SECONDS/)
    expect(() => loadConfig({ EDGE_CACHE: 'perhaps' })).toThrow(/EDGE_CACHE/)
  })
})

describe('the headers', () => {
  it('list the keys space-separated in Surrogate-Key and xkey, comma-separated in Cache-Tag', () => {
    expect(keyHeaders(KEY_HEADERS, ['all', 'list:stories', 'Story-abc'])).toEqual([
      ['surrogate-key', 'all list:stories Story-abc'],
      ['xkey', 'all list:stories Story-abc'],
      ['cache-tag', 'all,list:stories,Story-abc'],
    ])
    expect(keyHeaders(['xkey'], ['all'])).toEqual([['xkey', 'all']])
  })

  it('are not sent when the keys would not fit in a header', () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `Story-${String(i).padStart(12, '0')}`)
    expect(keys.join(' ').length).toBeGreaterThan(MAX_KEY_HEADER_BYTES)
    expect(keyHeaders(KEY_HEADERS, keys)).toBeNull()
    expect(keyHeaders(['xkey'], keys.slice(0, 400))).not.toBeNull()
  })

  it('are not sent when the three together would pass what a client reading the server takes', () => {
    const keys = Array.from({ length: 300 }, (_, i) => `Story-${String(i).padStart(12, '0')}`)
    expect(keys.join(' ').length).toBeLessThan(MAX_KEY_HEADER_BYTES)
    expect(keyHeaders(KEY_HEADERS, keys)).toBeNull()
    expect(keyHeaders(['surrogate-key'], keys)).not.toBeNull()
    expect(keyHeaders(KEY_HEADERS, keys.slice(0, 200))).not.toBeNull()
  })

  it('name every key a story change purges (the others purge all)', () => {
    const facts: StoryFacts = {
      version: 2,
      from: 'DRAFT',
      to: 'PUBLISHED',
      public: true,
      notice: false,
      urgency: 3,
      language: 'en',
    }
    const published: StoryChangeEntry = {
      kind: 'story.published',
      objectType: 'Story',
      objectId: 's1',
      topics: ['story:s1', 'tag:t1', 'person:p1', 'event:e1'],
      facts,
    }
    const edited: StoryChangeEntry = {
      ...published,
      kind: 'story.updated',
      facts: { ...facts, from: 'PUBLISHED', fields: ['headline'] },
    }
    for (const change of [published, edited]) {
      const keys = invalidatedBy(change)
      expect(keys.length).toBeGreaterThan(1)
      expect(keys.filter((key) => !isInvalidatable(key))).toEqual([])
    }
  })

  it('name only what a change can purge: stories, lists, missing lookups, and all', () => {
    const story = objectKey('Story', '0193e5a0-0000-7000-8000-000000000001')
    const tag = objectKey('Tag', '0193e5a0-0000-7000-8000-000000000002')
    const tagList = storiesOf('Tag', '0193e5a0-0000-7000-8000-000000000002')
    expect(answerKeys([story, tag, tagList, STORY_LIST, MISSING, 'MediaAsset:TWVkaWE6MQ=='])).toEqual([
      ALL,
      edgeKey(story),
      edgeKey(tagList),
      STORY_LIST,
      MISSING,
    ])
  })

  it('add each name to Vary once', () => {
    const headers = new Headers()
    addVary(headers, 'Accept', 'Authorization')
    addVary(headers, 'origin', 'accept')
    expect(headers.get('vary')).toBe('Accept, Authorization, origin')
  })

  it('make a strong ETag of the content type and the body, and match If-None-Match weakly', () => {
    const etag = strongEtag('application/json', '{}')
    expect(etag).toMatch(/^"[\w-]{27}"$/)
    expect(strongEtag('application/graphql-response+json', '{}')).not.toBe(etag)
    expect(strongEtag('application/json', '{ }')).not.toBe(etag)
    for (const header of [etag, `W/${etag}`, ` "x", ${etag} `, '*'])
      expect(matchesEtag(header, etag), header).toBe(true)
    for (const header of [null, '', '"x"', etag.slice(0, -2) + '"'])
      expect(matchesEtag(header, etag), String(header)).toBe(false)
  })
})

describe('a credential a browser adds by itself', () => {
  it('is a cookie or HTTP authentication other than a bearer token', () => {
    const carries = (headers: Record<string, string>) => carriesAmbientCredentials(new Headers(headers))
    expect(carries({})).toBe(false)
    expect(carries({ authorization: 'Bearer eyJ' })).toBe(false)
    expect(carries({ authorization: 'bearer eyJ' })).toBe(false)
    expect(carries({ cookie: 'a=b' })).toBe(true)
    expect(carries({ authorization: 'Basic dXNlcjpwYXNz' })).toBe(true)
    expect(carries({ authorization: 'Negotiate YII' })).toBe(true)
    expect(carries({ authorization: 'Bearer eyJ', cookie: 'a=b' })).toBe(true)
  })
})
