// Schema-driven fuzzing against a listening server. From the committed schema.graphql, fast-check
// builds operations: valid ones (random root fields of Query, Mutation and Subscription with
// arguments of the right types, nested selections to a random depth, aliases, inline and named
// fragments, variables) and broken ones (wrong argument types, unknown fields and arguments,
// huge numbers, null where required, truncated or garbage documents, random bytes as the body,
// random JSON as the variables). They go as the public and as an editor, over HTTP POST, GET,
// WebSocket (graphql-transport-ws) and Server-Sent Events. The property: no response is a 5xx,
// every error has a code, none is an unexpected fault ("Unexpected error.") or leaks a stack, SQL
// or Prisma's words; and the server is still ready at the end. Limits (depth, cost, page sizes)
// may refuse what is generated: a typed refusal passes.
//
// Seeded: the seed is printed; FUZZ_SEED=<n> replays a run, FUZZ_RUNS=<n> changes its length.
import { readFileSync } from 'node:fs'
import { encodeGlobalID } from '@pothos/plugin-relay'
import fc from 'fast-check'
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLFormattedError,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { VARIABLE_LIMITS } from '../../src/server/params.js'
import { asRole } from '../helpers/api.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const SEED = Number(process.env.FUZZ_SEED ?? 20_251_125)
const RUNS = Number(process.env.FUZZ_RUNS ?? 300)
/** fast-check stops starting new runs after this long (a pass, with fewer runs) */
const TIME_LIMIT_MS = 40_000

const SCHEMA = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'))

let server: TestServer
let editor: Record<string, string>
/** global ids of seeded rows, by type, for arguments that name one */
const IDS: Record<string, string[]> = {}
const SLUGS: string[] = []
const CURSORS: string[] = []

beforeAll(async () => {
  // Rate limits off: the fuzzer is one client sending hundreds of requests; throttling it would
  // only test the throttle.
  server = await startTestServer({ RATE_LIMIT_PUBLIC_POINTS: 0, RATE_LIMIT_EDITOR_POINTS: 0 })
  editor = await asRole('editor', 'fuzz-editor')
  const p = server.db.prisma
  const select = { id: true, slug: true } as const
  for (const [type, rows] of [
    ['Story', await p.story.findMany({ select })],
    ['Tag', await p.tag.findMany({ select })],
    ['Event', await p.event.findMany({ select })],
    ['Person', await p.person.findMany({ select })],
    ['Place', await p.place.findMany({ select })],
    ['Organisation', await p.organisation.findMany({ select })],
  ] as const) {
    IDS[type] = rows.map((r) => encodeGlobalID(type, r.id))
    SLUGS.push(...rows.map((r) => r.slug))
  }
  IDS.StoryRevision = (await p.storyRevision.findMany({ select: { id: true }, take: 5 })).map((r) =>
    encodeGlobalID('StoryRevision', r.id),
  )
  const first = await fetch(`${server.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: '{ stories(first: 5) { edges { cursor } } search(query: "ceasefire", first: 3) { edges { cursor } } }',
    }),
  })
  const { data } = (await first.json()) as {
    data: { stories: { edges: { cursor: string }[] }; search: { edges: { cursor: string }[] } }
  }
  CURSORS.push(...data.stories.edges.map((e) => e.cursor), ...data.search.edges.map((e) => e.cursor))
})
afterAll(() => server?.close())

// ---------------------------------------------------------------------------------------------
// Values

type G = fc.GeneratorValue

const pick = <T>(g: G, items: readonly T[]): T => items[g(fc.nat, { max: items.length - 1 })]
const chance = (g: G, percent: number) => g(fc.nat, { max: 99 }) < percent
/** `count` of the items, in random order. (fast-check compares the arguments it is given, so it
 *  gets indices, never the schema's cyclic objects.) */
function some<T>(g: G, items: readonly T[], min: number, max: number): T[] {
  const indices = items.map((_, i) => i)
  return g(fc.shuffledSubarray, indices, { minLength: min, maxLength: Math.min(max, items.length) }).map(
    (i) => items[i],
  )
}

/** Strings that have broken parsers, databases and search before. */
const NASTY = [
  "'",
  '"',
  `'; DROP TABLE "Story"; --`,
  '%',
  '_',
  '\\',
  '& | ! <-> :*',
  '((',
  '"unbalanced',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '🕊️',
  '\u202e',
  'null',
  '$1',
  ' ',
  '',
]

function text(g: G): string {
  switch (g(fc.nat, { max: 5 })) {
    case 0:
      return pick(g, NASTY)
    case 1:
      return g(fc.string, { maxLength: 30, unit: 'binary' })
    case 2:
      return 'x'.repeat(pick(g, [0, 199, 200, 201, 301, 2001, 10_240]))
    default:
      return g(fc.string, { maxLength: 20 })
  }
}

/** A JS value of this input type: usually a sensible one, sometimes an edge. */
function valueOf(g: G, type: GraphQLInputType, name: string, depth = 0, nullable = true): unknown {
  if (isNonNullType(type)) return valueOf(g, type.ofType, name, depth, false)
  if (nullable && chance(g, 4)) return null
  if (isListType(type))
    return Array.from({ length: g(fc.nat, { max: depth > 1 ? 1 : 3 }) }, () => valueOf(g, type.ofType, name, depth + 1))
  if (isEnumType(type)) return pick(g, type.getValues()).name
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {}
    for (const field of Object.values(type.getFields())) {
      const required = isNonNullType(field.type) && field.defaultValue === undefined
      if (required || (depth < 3 && chance(g, 40))) value[field.name] = valueOf(g, field.type, field.name, depth + 1)
    }
    return value
  }
  switch (type.name) {
    case 'Int':
      if (/^(first|last)$/.test(name))
        return chance(g, 90) ? g(fc.integer, { min: 1, max: 5 }) : g(fc.integer, { min: -2, max: 102 })
      if (/urgency/i.test(name)) return g(fc.integer, { min: 0, max: 10 })
      if (name === 'version') return g(fc.integer, { min: 0, max: 4 })
      return g(fc.integer, { min: -10, max: 5000 })
    case 'Float':
      return chance(g, 80)
        ? g(fc.double, { min: -200, max: 200, noNaN: true })
        : g(fc.double, { noNaN: true, noDefaultInfinity: true })
    case 'Boolean':
      return g(fc.boolean)
    case 'DateTime':
      return chance(g, 95)
        ? g(fc.date, { min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).toISOString()
        : text(g)
    case 'ID': {
      const known = /tag/i.test(name)
        ? IDS.Tag
        : /event/i.test(name)
          ? IDS.Event
          : /revision/i.test(name)
            ? IDS.StoryRevision
            : IDS.Story
      return known.length && chance(g, 80)
        ? pick(g, known)
        : chance(g, 50)
          ? Buffer.from(`Story:${text(g)}`).toString('base64')
          : text(g)
    }
    case 'String':
      if (/slug|^(tag|person|organisation|place|event)s?$/.test(name))
        return chance(g, 60) ? pick(g, SLUGS) : chance(g, 50) ? `fuzz-${g(fc.nat, { max: 1e6 })}` : text(g)
      if (name === 'query')
        return chance(g, 60)
          ? pick(g, ['ceasefire', 'talks -football', '"ceasefire talks"', 'Qatar', 'gaza OR doha'])
          : text(g)
      if (/^(after|before)$/.test(name)) return CURSORS.length && chance(g, 60) ? pick(g, CURSORS) : text(g)
      if (name === 'since') return chance(g, 60) ? String(g(fc.nat, { max: 50 })) : text(g)
      if (name === 'language') return chance(g, 70) ? pick(g, ['en', 'sv', 'pt-BR']) : text(g)
      if (/href|sameAs/.test(name)) return chance(g, 70) ? `https://example.org/${g(fc.nat)}` : text(g)
      return chance(g, 50) ? g(fc.lorem, { maxCount: 6 }) : text(g)
    default:
      return g(fc.jsonValue, { maxDepth: 2 })
  }
}

/** A JS value as a GraphQL literal of this type. */
function literal(value: unknown, type: GraphQLInputType): string {
  if (value === null || value === undefined) return 'null'
  const inner = getNullableType(type) as GraphQLInputType
  if (isListType(inner))
    return Array.isArray(value)
      ? `[${value.map((v) => literal(v, inner.ofType)).join(', ')}]`
      : literal(value, inner.ofType)
  if (isEnumType(inner) && typeof value === 'string' && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) return value
  if (isInputObjectType(inner) && typeof value === 'object' && !Array.isArray(value)) {
    const fields = inner.getFields()
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${literal(v, fields[k]?.type ?? inner)}`)
      .join(', ')} }`
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '1e999'
  if (typeof value === 'object') return JSON.stringify(JSON.stringify(value))
  return JSON.stringify(value)
}

// ---------------------------------------------------------------------------------------------
// Operations

interface Operation {
  kind: 'query' | 'mutation' | 'subscription'
  query: string
  variables: Record<string, unknown>
  operationName?: string
  /** what was broken on purpose, if anything */
  broken: string | null
}

interface Build {
  g: G
  variables: string[]
  values: Record<string, unknown>
  fragments: string[]
  maxDepth: number
  /** add an argument the field does not have to the next field written */
  unknownArgument: boolean
}

function argumentsOf(b: Build, field: GraphQLField<unknown, unknown>): string {
  const parts: string[] = []
  for (const arg of field.args) {
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined
    if (!required && !chance(b.g, 40)) continue
    const value = valueOf(b.g, arg.type, arg.name)
    if (chance(b.g, 50)) {
      const name = `v${b.variables.length}`
      b.variables.push(`$${name}: ${arg.type}`)
      b.values[name] = value
      parts.push(`${arg.name}: $${name}`)
    } else {
      parts.push(`${arg.name}: ${literal(value, arg.type)}`)
    }
  }
  if (b.unknownArgument) {
    b.unknownArgument = false
    parts.push('zzNoSuchArgument: 1')
  }
  return parts.length ? `(${parts.join(', ')})` : ''
}

function fieldText(b: Build, field: GraphQLField<unknown, unknown>, depth: number): string {
  const alias = chance(b.g, 15) ? `a${b.g(fc.nat, { max: 99 })}_${field.name}: ` : ''
  const named = getNamedType(field.type)
  const sub = isLeafType(named)
    ? ''
    : depth >= b.maxDepth
      ? ' { __typename }'
      : ` { ${selection(b, named, depth + 1)} }`
  return `${alias}${field.name}${argumentsOf(b, field)}${sub}`
}

function selection(b: Build, type: GraphQLNamedType, depth: number): string {
  const { g } = b
  const parts: string[] = []
  if (isObjectType(type) || isInterfaceType(type)) {
    const fields = Object.values(type.getFields())
    const count = g(fc.integer, { min: 1, max: Math.min(4, fields.length) })
    for (const field of some(g, fields, count, count)) parts.push(fieldText(b, field, depth))
  }
  if (isInterfaceType(type) || isUnionType(type)) {
    parts.push('__typename')
    const possible = SCHEMA.getPossibleTypes(type)
    for (const member of some(g, possible, 0, 3))
      parts.push(`... on ${member.name} { ${selection(b, member, depth + 1)} }`)
  }
  // now and then, the same as a named fragment
  if (chance(g, 10)) {
    const name = `F${b.fragments.length}`
    b.fragments.push(`fragment ${name} on ${type.name} { ${parts.join(' ')} }`)
    return `...${name}`
  }
  return parts.join(' ')
}

function validOperation(g: G): Operation {
  const kind = pick(g, ['query', 'query', 'query', 'query', 'mutation', 'mutation', 'subscription'] as const)
  const root = (
    kind === 'query'
      ? SCHEMA.getQueryType()
      : kind === 'mutation'
        ? SCHEMA.getMutationType()
        : SCHEMA.getSubscriptionType()
  ) as GraphQLObjectType
  const b: Build = {
    g,
    variables: [],
    values: {},
    fragments: [],
    maxDepth: g(fc.integer, { min: 1, max: 5 }),
    unknownArgument: false,
  }
  const fields = Object.values(root.getFields())
  // a subscription has exactly one root field
  const count = kind === 'subscription' ? 1 : g(fc.integer, { min: 1, max: 3 })
  const body = some(g, fields, count, count).map((f) => fieldText(b, f, 1))
  const name = chance(g, 30) ? `Fuzz${g(fc.nat, { max: 999 })}` : ''
  const head = `${kind}${name ? ` ${name}` : ''}${b.variables.length ? `(${b.variables.join(', ')})` : ''}`
  return {
    kind,
    query: [`${head} { ${body.join(' ')} }`, ...b.fragments].join('\n'),
    variables: b.values,
    operationName: name || undefined,
    broken: null,
  }
}

const BREAKAGES = [
  'wrong-variable-type',
  'null-variable',
  'huge-number',
  'unknown-field',
  'unknown-argument',
  'truncated',
  'garbage-document',
  'random-variables',
  'random-operation-name',
] as const

/** A valid operation with one thing broken, on purpose. */
function brokenOperation(g: G): Operation {
  const breakage = pick(g, BREAKAGES)
  const op = validOperation(g)
  const names = Object.keys(op.variables)
  const someVariable = names.length ? pick(g, names) : null
  switch (breakage) {
    case 'wrong-variable-type':
      if (someVariable) op.variables[someVariable] = g(fc.jsonValue, { maxDepth: 2 })
      break
    case 'null-variable':
      if (someVariable) op.variables[someVariable] = null
      break
    case 'huge-number': {
      const huge = pick(g, [2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 1e308, -1e308, Number.MAX_SAFE_INTEGER])
      if (someVariable && chance(g, 50)) op.variables[someVariable] = huge
      else
        op.query = op.query.replace(
          /\b(first|last|version|urgency|minUrgency|width|height|latitude): -?[\d.e]+/,
          `$1: ${pick(g, ['99999999999999999999999', '1e999', '-2147483649', '2147483648'])}`,
        )
      break
    }
    case 'unknown-field':
      op.query = op.query.replace('{ ', '{ zzNoSuchField ')
      break
    case 'unknown-argument': {
      const b: Build = { g, variables: [], values: {}, fragments: [], maxDepth: 2, unknownArgument: true }
      const field = pick(g, Object.values(SCHEMA.getQueryType()!.getFields()))
      op.query = `query${b.variables.length ? `(${b.variables.join(', ')})` : ''} { ${fieldText(b, field, 1)} }\n${b.fragments.join('\n')}`
      op.variables = b.values
      op.kind = 'query'
      op.operationName = undefined
      break
    }
    case 'truncated':
      op.query = op.query.slice(0, g(fc.nat, { max: Math.max(0, op.query.length - 1) }))
      break
    case 'garbage-document':
      op.query = g(fc.string, { maxLength: 120, unit: pick(g, ['binary', 'grapheme', 'grapheme-ascii'] as const) })
      break
    case 'random-variables':
      op.variables = g(fc.jsonValue, { maxDepth: 3 }) as never
      break
    case 'random-operation-name':
      op.operationName = text(g)
      break
  }
  return { ...op, broken: breakage }
}

// ---------------------------------------------------------------------------------------------
// Sending and judging

interface Outcome {
  transport: string
  status: number
  /** the response body as received */
  text: string
  errors: GraphQLFormattedError[]
}

/** What must never reach a client: stacks, source positions, SQL, Prisma's words. */
const LEAK = /\bstack\b|prisma|invalid input syntax|invalid byte sequence|\.[cm]?[jt]s:\d|node_modules|sqlstate/i
/** SQL, in capitals (graphql-js says "must select only one top level field") */
const SQL = /\b(SELECT|INSERT|UPDATE|DELETE FROM)\b/

async function overHttp(
  op: Operation,
  headers: Record<string, string>,
  method: 'POST' | 'GET',
  rawBody?: BodyInit,
): Promise<Outcome> {
  try {
    return await sendHttp(op, headers, method, rawBody)
  } catch (error) {
    // the connection broke: a fault as much as a 5xx (599, "network error", to say so)
    const cause = (error as Error).cause as { code?: string; message?: string } | undefined
    return {
      transport: method,
      status: 599,
      text: `network error: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      errors: [],
    }
  }
}

async function sendHttp(
  op: Operation,
  headers: Record<string, string>,
  method: 'POST' | 'GET',
  rawBody?: BodyInit,
): Promise<Outcome> {
  let response: Response
  if (method === 'GET') {
    // a query string of its own (rawBody), or the operation's
    const params =
      typeof rawBody === 'string'
        ? rawBody
        : new URLSearchParams({ query: op.query, variables: JSON.stringify(op.variables) })
    if (typeof params !== 'string' && op.operationName !== undefined) params.set('operationName', op.operationName)
    // a header no browser sends of its own accord: what CSRF prevention asks of a GET
    response = await fetch(`${server.origin}/graphql?${params}`, {
      headers: { accept: 'application/json', 'x-graphql-yoga-csrf': 'fuzz', ...headers },
    })
  } else {
    response = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: rawBody ?? JSON.stringify({ query: op.query, variables: op.variables, operationName: op.operationName }),
    })
  }
  const text = await response.text()
  return { transport: method, status: response.status, text, errors: errorsIn(text) }
}

function errorsIn(text: string): GraphQLFormattedError[] {
  try {
    const body = JSON.parse(text) as { errors?: unknown }
    return Array.isArray(body?.errors) ? (body.errors as GraphQLFormattedError[]) : []
  } catch {
    return []
  }
}

/** Over a socket (the graphql-transport-ws protocol, spoken directly so that what is sent is
 *  exactly what was generated): the operation's messages, up to its end; a subscription is ended
 *  after its first message, or after a short while without one. That while (and overSse's) is no
 *  wait for something to be ready: a valid subscription may never send anything, so it bounds
 *  what is looked at; a slow machine can make it see less, never fail a run. */
async function overWs(
  op: Operation,
  headers: Record<string, string>,
  variablesJson?: string,
  extensions?: object,
): Promise<Outcome> {
  const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws')
  const received: unknown[] = []
  let close: { code: number; reason: string } | null = null
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, op.kind === 'subscription' ? 300 : 5_000)
    const finish = () => {
      clearTimeout(timer)
      resolve()
    }
    const send = (message: object) => socket.send(JSON.stringify(message))
    socket.on('open', () =>
      send({
        type: 'connection_init',
        ...(headers.authorization ? { payload: { authorization: headers.authorization } } : {}),
      }),
    )
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: unknown }
      if (message.type === 'connection_ack') {
        const subscribe = JSON.stringify({
          id: '1',
          type: 'subscribe',
          payload: { query: op.query, variables: 'VARIABLES', operationName: op.operationName, extensions },
        })
        // variables as written (JSON.stringify cannot nest 10,000 deep)
        socket.send(subscribe.replace('"VARIABLES"', () => variablesJson ?? JSON.stringify(op.variables)))
      } else if (message.type === 'ping') send({ type: 'pong' })
      else {
        received.push(message)
        if (message.type !== 'next' || op.kind === 'subscription') finish()
      }
    })
    socket.on('close', (code, reason) => {
      close = { code, reason: String(reason) }
      finish()
    })
    socket.on('error', finish)
  })
  if (socket.readyState !== WebSocket.CLOSED) {
    const closed = new Promise((resolve) => socket.once('close', resolve))
    socket.close(1000)
    await closed
  }
  if (close) received.push({ close })
  const errors = received.flatMap((m) => {
    const { type, payload } = m as { type?: string; payload?: unknown }
    if (type === 'error' && Array.isArray(payload)) return payload as GraphQLFormattedError[]
    if (type === 'next') return (payload as { errors?: GraphQLFormattedError[] })?.errors ?? []
    return []
  })
  // 1011 and graphql-ws's 4500: the server failed, not the client
  const failed = close !== null && [1011, 4500].includes((close as { code: number }).code)
  return { transport: 'WS', status: failed ? 500 : 200, text: JSON.stringify(received), errors }
}

/** Over Server-Sent Events: the response up to its first event, or what came in a short while. */
async function overSse(op: Operation, headers: Record<string, string>): Promise<Outcome> {
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), 300)
  let status = 0
  let text = ''
  try {
    const response = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
      body: JSON.stringify({ query: op.query, variables: op.variables, operationName: op.operationName }),
      signal: abort.signal,
    })
    status = response.status
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    while (!/\n\n/.test(text.replace(/^:\n\n/gm, ''))) {
      const { value, done } = await reader.read()
      if (done) break
      text += decoder.decode(value, { stream: true })
    }
    abort.abort()
  } catch (error) {
    if (!abort.signal.aborted) throw error
  } finally {
    clearTimeout(timer)
  }
  const errors = text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .flatMap((line) => errorsIn(line.slice(6)))
  return { transport: 'SSE', status, text, errors }
}

/** The checks every response must pass; the message names the operation that failed them. */
function judge(op: Operation, who: string, outcome: Outcome) {
  const what = `${outcome.transport} as ${who}${op.broken ? ` (broken: ${op.broken})` : ''}\n${op.query}\nvariables: ${JSON.stringify(op.variables)}\noperationName: ${JSON.stringify(op.operationName)}\n→ ${outcome.status} ${outcome.text.slice(0, 2000)}`
  expect(outcome.status, what).toBeLessThan(500)
  const scanned = outcome.errors.length ? JSON.stringify(outcome.errors) : outcome.status >= 400 ? outcome.text : ''
  expect(scanned, what).not.toMatch(LEAK)
  expect(scanned, what).not.toMatch(SQL)
  for (const error of outcome.errors) {
    expect(error.message, what).not.toBe('Unexpected error.')
    expect(error.extensions?.code, what).not.toBe('INTERNAL_SERVER_ERROR')
    // a code a client can branch on
    expect(error.extensions?.code, what).toMatch(/^[A-Z_]+$/)
    for (const key of Object.keys(error)) expect(['message', 'locations', 'path', 'extensions'], what).toContain(key)
    for (const key of Object.keys(error.extensions ?? {}))
      expect(['stack', 'exception', 'originalError'], what).not.toContain(key)
  }
}

// ---------------------------------------------------------------------------------------------

describe('fuzzing the schema', () => {
  it(`answers ${RUNS} random operations with data or typed errors, never a fault`, { timeout: 90_000 }, async () => {
    console.log(`fuzz: seed ${SEED} (FUZZ_SEED=${SEED} replays it), ${RUNS} runs`)
    const tally = new Map<string, number>()
    const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1)
    let runs = 0
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        runs++
        const who = chance(g, 50) ? 'editor' : 'public'
        const headers = who === 'editor' ? editor : {}
        const shape = g(fc.nat, { max: 99 })
        let op: Operation
        let outcome: Outcome
        if (shape < 4) {
          // random bytes as the body
          op = { kind: 'query', query: '(random bytes)', variables: {}, broken: 'random-bytes' }
          outcome = await overHttp(op, headers, 'POST', g(fc.uint8Array, { maxLength: 200 }))
        } else if (shape < 8) {
          // a random JSON value as the body
          const body = JSON.stringify(g(fc.jsonValue, { maxDepth: 3 })) ?? 'null'
          op = { kind: 'query', query: `(JSON body) ${body}`, variables: {}, broken: 'random-json-body' }
          outcome = await overHttp(op, headers, 'POST', body)
        } else {
          op = shape < 55 ? validOperation(g) : brokenOperation(g)
          const transport = g(fc.nat, { max: 99 })
          if (op.kind === 'subscription')
            outcome = transport < 70 ? await overWs(op, headers) : await overSse(op, headers)
          else if (transport < 70) outcome = await overHttp(op, headers, 'POST')
          else if (transport < 85) outcome = await overHttp(op, headers, 'GET')
          else outcome = await overWs(op, headers)
        }
        judge(op, who, outcome)
        const codes = [...new Set(outcome.errors.map((e) => String(e.extensions?.code ?? 'no code')))].sort().join('+')
        count(
          `${outcome.transport} ${op.broken ? 'broken' : 'valid'} ${op.kind} → ${outcome.status}${codes ? ` ${codes}` : ''}`,
        )
      }),
      { seed: SEED, numRuns: RUNS, plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS)], endOnFailure: true },
    )
    console.log(
      `fuzz: ${runs} runs, outcomes:\n${[...tally]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `  ${String(n).padStart(4)}  ${k}`)
        .join('\n')}`,
    )
    expect(runs).toBeGreaterThan(0)

    // still serving, and still ready
    const ready = await fetch(`${server.origin}/ready`)
    expect(ready.status).toBe(200)
    const after = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ story(slug: "hamas-israel-ceasefire-talks-expected-to-resume") { slug } }' }),
    })
    expect(await after.json()).toEqual({ data: { story: { slug: 'hamas-israel-ceasefire-talks-expected-to-resume' } } })
  })
})

// ---------------------------------------------------------------------------------------------
// Parameters as sent: query strings, nested variables, connection_init

/** Runs of each property below (a share of FUZZ_RUNS), stopping early after 20 s. */
const PARAM_RUNS = Math.max(50, Math.ceil(RUNS / 3))
const PARAM_TIME_LIMIT_MS = 20_000

/** Asserts a property over `runs` generated cases, seeded; prints what came out. */
async function fuzz(name: string, property: (g: G, count: (key: string) => void) => Promise<void>) {
  const tally = new Map<string, number>()
  const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1)
  await fc.assert(
    fc.asyncProperty(fc.gen(), (g) => property(g, count)),
    { seed: SEED, numRuns: PARAM_RUNS, plugins: [fc.interruptAfterTimeLimit(PARAM_TIME_LIMIT_MS)], endOnFailure: true },
  )
  console.log(
    `fuzz ${name}:\n${[...tally]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `  ${String(n).padStart(4)}  ${k}`)
      .join('\n')}`,
  )
  expect(tally.size).toBeGreaterThan(0)
}

/** A valid answer (data) or coded errors, besides what judge() asks. Over a socket the text is
 *  its messages: an answer is in a `next`. Node refuses a request head over 16 KB itself (431,
 *  no body), before the application sees it. */
function answered(op: Operation, outcome: Outcome) {
  if (outcome.transport === 'GET' && outcome.status === 431) return
  let data: unknown
  try {
    const body = JSON.parse(outcome.text) as { data?: unknown } | { type?: string; payload?: { data?: unknown } }[]
    data = Array.isArray(body) ? body.find((m) => m.type === 'next')?.payload?.data : body.data
  } catch {
    data = undefined
  }
  expect(
    outcome.errors.length > 0 || data !== undefined,
    `${outcome.transport} ${op.query}\n→ ${outcome.status} ${outcome.text.slice(0, 500)}`,
  ).toBe(true)
}

const SMALL_QUERIES = [
  '{ __typename }',
  'query($q: String!) { search(query: $q, first: 1) { totalCount } }',
  'query Named($first: Int) { stories(first: $first) { totalCount } }',
  'mutation { upsertTag(input: { slug: "fuzz-get", name: "Fuzz" }) { __typename } }',
  'subscription { breakingNews(minUrgency: 3) { cursor } }',
]

/** Keys that are properties of every object in JavaScript: what naive code trips on. */
const PROTO_KEYS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'toJSON']

/** A JSON value, sometimes with keys every object already has. */
function jsonish(g: G): unknown {
  const value = g(fc.jsonValue, { maxDepth: 3 })
  if (!chance(g, 25)) return value
  return { [pick(g, PROTO_KEYS)]: chance(g, 50) ? g(fc.jsonValue, { maxDepth: 1 }) : value }
}

/** JSON text nested `depth` lists and objects deep, of a random shape (lists only, if asked):
 *  siblings near the top, a random value at the bottom. Written as text: JSON.stringify cannot
 *  nest that deep. */
function nestedJson(g: G, depth: number, listsOnly = false): string {
  const open: string[] = []
  const close: string[] = []
  for (let level = 0; level < depth; level++) {
    const sibling = level < 30 && chance(g, 20) ? `${JSON.stringify(g(fc.jsonValue, { maxDepth: 1 }))},` : ''
    if (listsOnly || chance(g, 50)) {
      open.push(`[${sibling}`)
      close.push(']')
    } else {
      open.push(`{${sibling ? `"s":${sibling}` : ''}"k${level % 10}":`)
      close.push('}')
    }
  }
  return open.join('') + JSON.stringify(g(fc.jsonValue, { maxDepth: 0 })) + close.reverse().join('')
}

/** A value for a query-string parameter: absent, empty, sane, random, broken JSON. */
function param(g: G, sane: () => string): string | null {
  switch (g(fc.nat, { max: 7 })) {
    case 0:
      return null
    case 1:
      return ''
    case 2:
    case 3:
      return sane()
    case 4:
      return text(g)
    case 5:
      return JSON.stringify(jsonish(g)) ?? 'null'
    case 6: {
      const json = sane()
      return json.slice(0, g(fc.nat, { max: Math.max(0, json.length - 1) }))
    }
    default:
      return nestedJson(g, pick(g, [2, 31, 32, 33, 200, 1_500]))
  }
}

describe('fuzzing parameters as sent', () => {
  it(
    'answers random and malformed GET query strings (query, variables, operationName, extensions) with data or coded errors',
    { timeout: 60_000 },
    async () => {
      await fuzz('GET query strings', async (g, count) => {
        const query = param(g, () => pick(g, SMALL_QUERIES))
        const parts: [string, string | null][] = [
          ['query', query],
          ['variables', param(g, () => JSON.stringify({ q: 'ceasefire', first: 2 }))],
          ['operationName', param(g, () => pick(g, ['Named', 'FrontPage']))],
          [
            'extensions',
            param(g, () => JSON.stringify({ persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } })),
          ],
        ]
        // now and then a parameter twice, or in another order
        if (chance(g, 10)) parts.push([pick(g, ['query', 'variables', 'extensions']), text(g)])
        const search = some(g, parts, parts.length, parts.length)
          .filter(([, value]) => value !== null)
          .map(([key, value]) => `${key}=${encodeURIComponent(value!)}`)
          .join('&')
        const op: Operation = {
          kind: 'query',
          query: `GET ?${search.slice(0, 300)}`,
          variables: {},
          broken: 'query-string',
        }
        const headers = chance(g, 30) ? editor : {}
        const outcome = await overHttp(op, headers, 'GET', search)
        judge(op, headers === editor ? 'editor' : 'public', outcome)
        answered(op, outcome)
        count(`GET → ${outcome.status} ${[...new Set(outcome.errors.map((e) => e.extensions?.code))].sort().join('+')}`)
      })
    },
  )

  it(
    'refuses variables nested too deep with VARIABLES_TOO_DEEP, whatever their shape, over POST, GET and WebSocket',
    { timeout: 60_000 },
    async () => {
      await fuzz('nested variables', async (g, count) => {
        // within the body limit (32 KiB) and a socket's (64 KiB): 10,000 deep as lists only
        const depth = pick(g, [
          g(fc.nat, { max: 40 }),
          VARIABLE_LIMITS.depth,
          VARIABLE_LIMITS.depth + 1,
          100,
          1_000,
          3_000,
          10_000,
        ])
        const query = pick(g, [
          '{ __typename }',
          'query($q: String!) { search(query: $q, first: 1) { totalCount } }',
          'query($v: [String]) { __typename }',
        ])
        const name = pick(g, ['q', 'v', 'other'])
        const variablesJson = `{"${name}":${nestedJson(g, depth, depth > 3_000)}}`
        const op: Operation = { kind: 'query', query, variables: {}, broken: `variables ${depth} deep` }
        const transport = pick(g, ['POST', 'WS', ...(variablesJson.length < 5_000 ? (['GET'] as const) : [])] as const)
        const outcome =
          transport === 'WS'
            ? await overWs(op, {}, variablesJson)
            : transport === 'GET'
              ? await overHttp(
                  op,
                  {},
                  'GET',
                  `query=${encodeURIComponent(query)}&variables=${encodeURIComponent(variablesJson)}`,
                )
              : await overHttp(op, {}, 'POST', `{"query":${JSON.stringify(query)},"variables":${variablesJson}}`)
        judge(op, 'public', outcome)
        answered(op, outcome)
        const codes = [...new Set(outcome.errors.map((e) => e.extensions?.code))]
        if (depth > VARIABLE_LIMITS.depth)
          expect(codes, `${depth} deep over ${transport}: ${outcome.text.slice(0, 300)}`).toEqual([
            'VARIABLES_TOO_DEEP',
          ])
        else expect(codes).not.toContain('VARIABLES_TOO_DEEP')
        count(
          `${transport} ${depth > VARIABLE_LIMITS.depth ? 'too deep' : 'within'} → ${outcome.status} ${codes.sort().join('+')}`,
        )
      })
    },
  )

  it(
    'closes a socket with a protocol code for a bad connection_init, or acks it and works',
    { timeout: 60_000 },
    async () => {
      await fuzz('connection_init', async (g, count) => {
        const message = (() => {
          switch (g(fc.nat, { max: 5 })) {
            case 0:
              return JSON.stringify({ type: 'connection_init', payload: jsonish(g) })
            case 1:
              return JSON.stringify({
                type: 'connection_init',
                payload: {
                  authorization: pick(g, [
                    jsonish(g),
                    text(g),
                    `Bearer ${text(g)}`,
                    editor.authorization,
                    { toString: 1 },
                    ['Bearer x'],
                  ]),
                },
              })
            case 2:
              return JSON.stringify({ ...(jsonish(g) as object), type: 'connection_init' })
            case 3:
              return JSON.stringify(jsonish(g)) ?? 'null'
            case 4:
              return text(g)
            default:
              return JSON.stringify({
                type: 'connection_init',
                payload: JSON.parse(nestedJson(g, pick(g, [1, 33, 1_000]))),
              })
          }
        })()
        const outcome = await initThenAsk(message)
        const what = `connection_init ${message.slice(0, 300)} → ${JSON.stringify(outcome)}`
        if ('close' in outcome) {
          // graphql-ws' codes for a client's mistake: a bad message, no init yet, a forged token, too slow, twice
          expect([4400, 4401, 4403, 4408, 4429], what).toContain(outcome.close.code)
          expect(outcome.close.reason, what).not.toMatch(LEAK)
        } else {
          expect(outcome.answer, what).toEqual({ data: { __typename: 'Query' } })
        }
        count('close' in outcome ? `closed ${outcome.close.code} ${outcome.close.reason}` : 'acked, answered')
      })
    },
  )
})

describe('what fuzzing parameters found', () => {
  it('refuses an authorization that is no string as a forged token: 4403 at connection_init, UNAUTHENTICATED in an operation', async () => {
    for (const authorization of [{ toString: 1 }, { valueOf: 1, toString: {} }, 42, ['Bearer x']]) {
      expect(
        await initThenAsk(JSON.stringify({ type: 'connection_init', payload: { authorization } })),
        JSON.stringify(authorization),
      ).toEqual({ close: { code: 4403, reason: 'Forbidden' } })
    }
    const inHeaders = await overWs(
      { kind: 'query', query: '{ __typename }', variables: {}, broken: null },
      {},
      undefined,
      { headers: { authorization: { toString: 1 } } },
    )
    expect(inHeaders.errors).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }])
  })
})

/** Sends `first` as a socket's first message; once acked, the query `{ __typename }`. The
 *  socket's close, or the answer to the query. */
async function initThenAsk(first: string): Promise<{ close: { code: number; reason: string } } | { answer: unknown }> {
  const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws')
  try {
    return await new Promise((resolve) => {
      socket.on('open', () => socket.send(first))
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; payload?: unknown }
        if (message.type === 'connection_ack')
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } }))
        else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }))
        else if (message.type === 'next' || message.type === 'error') resolve({ answer: message.payload })
      })
      socket.on('close', (code, reason) => resolve({ close: { code, reason: String(reason) } }))
    })
  } finally {
    socket.terminate()
  }
}
