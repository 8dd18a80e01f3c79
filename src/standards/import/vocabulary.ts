// The vocabularies a ninjs document is written in, mapped to this newsroom's: roles, relations,
// content types, genres, languages, event statuses, and the codes in uris (Wikidata, ISO 3166
// countries, IPTC Media Topics). What has no counterpart here is reported where it is met.
import type {
  ContributorRole,
  EntityRelation,
  EventStatus,
  HeadlineRole,
  ParticipantRole,
  StoryType,
} from '../../generated/prisma/enums.js'
import { ValidationError } from '../../resolvers/errors.js'
import { LANGUAGE_MESSAGE, storyRules } from '../../resolvers/validation.js'
import { GENRES, MEDIATOPIC_URI } from '../ninjs.js'
import { entries, type NinjsEntity } from './document.js'
import { lower, type ImportRun } from './run.js'

// ---------------------------------------------------------------------------------------------
// Roles

export const HEADLINE_ROLES: Record<string, HeadlineRole> = {
  short: 'SHORT',
  seo: 'SEO',
  social: 'SOCIAL',
  kicker: 'KICKER',
  alternative: 'ALTERNATIVE',
  sub: 'ALTERNATIVE',
  subheadline: 'ALTERNATIVE',
  subtitle: 'ALTERNATIVE',
}
export const MAIN_HEADLINE = new Set([undefined, 'main', 'headline', 'simple', 'title'])
// richtext, xhtml, html: the same description again, as markup
const RENDERINGS = ['richtext', 'xhtml', 'html']
export const LEDE_ROLES = new Set([
  undefined,
  'summary',
  'lede',
  'abstract',
  'teaser',
  'text',
  'description',
  ...RENDERINGS,
])
export const CAPTION_ROLES = new Set([undefined, 'caption', 'text', 'description', 'summary', ...RENDERINGS])
export const CREDIT_ROLES = new Set(['creditline', 'credit'])
export const ALT_ROLES = new Set(['alt', 'alttext', 'alt-text', 'alternative'])
export const CONTRIBUTOR_ROLES: Record<string, ContributorRole> = {
  author: 'AUTHOR',
  writer: 'AUTHOR',
  reporter: 'REPORTER',
  photographer: 'PHOTOGRAPHER',
  translator: 'TRANSLATOR',
  adapter: 'ADAPTER',
  editor: 'EDITOR',
}
export const PARTICIPANT_ROLES: Record<string, ParticipantRole> = {
  party: 'PARTY',
  mediator: 'MEDIATOR',
  host: 'HOST',
  observer: 'OBSERVER',
  organiser: 'ORGANISER',
  organizer: 'ORGANISER',
}

const RELATIONS: Record<string, EntityRelation> = { about: 'ABOUT', mentions: 'MENTIONS' }

/** How a story relates to an entity: its rel, "about" or "mentions"; mentioned when it says neither. */
export function relation(run: ImportRun, entry: NinjsEntity, pointer: string): EntityRelation {
  const rel = lower(entry.rel)
  if (rel === undefined) return 'MENTIONS'
  const relation = RELATIONS[rel]
  if (!relation) run.report.add(`${pointer}/rel`, `"${entry.rel}" is not "about" or "mentions"; linked as mentioned`)
  return relation ?? 'MENTIONS'
}

// ---------------------------------------------------------------------------------------------
// Content types, languages, genres, statuses

export const HTML = /html|xhtml/i
export const isPlain = (contentType: unknown) =>
  contentType === undefined || /^text\/plain\b/i.test(String(contentType))

/** The item's language as a BCP 47 tag, its case put right ("en_gb" is en-GB). */
export function language(run: ImportRun): string | null {
  const value = run.doc.language
  if (value === undefined) return null
  const [primary, ...rest] = String(value).trim().split(/[-_]/)
  const tag = [primary!.toLowerCase(), ...rest.map((r) => (r.length === 2 ? r.toUpperCase() : r))].join('-')
  if (!storyRules.language.safeParse(tag).success) {
    throw new ValidationError([{ field: '/language', message: LANGUAGE_MESSAGE }])
  }
  return tag
}

/** The story type the first known genre names (by literal or name). */
export function genre(run: ImportRun): StoryType | null {
  let type: StoryType | null = null
  entries(run.doc.genres).forEach((g, i) => {
    const names = [g?.literal, g?.name].filter((v) => typeof v === 'string').map((v) => v.toLowerCase())
    const match = (Object.keys(GENRES) as StoryType[]).find(
      (t) => names.includes(t.toLowerCase()) || names.includes(GENRES[t].toLowerCase()),
    )
    if (match && !type) type = match
    else
      run.report.add(
        `/genres/${i}`,
        match ? 'not stored: a story has one type' : 'not stored: no story type for this genre',
      )
  })
  return type
}

/** schema.org's event statuses (what our documents give) in ours. */
const SCHEMA_ORG_STATUS: Record<string, EventStatus | null> = {
  EventScheduled: 'SCHEDULED',
  EventRescheduled: 'SCHEDULED',
  EventPostponed: 'POSTPONED',
  EventCancelled: 'CANCELLED',
  EventMovedOnline: null,
}

export function eventStatus(run: ImportRun, uri: unknown): EventStatus | null {
  if (typeof uri !== 'string') return null
  const match = /^https?:\/\/(?:www\.)?schema\.org\/(Event\w+)$/.exec(uri)
  const status = match ? SCHEMA_ORG_STATUS[match[1]!] : undefined
  if (status) return status
  run.report.add(
    '/eventDetails/eventStatus',
    status === null
      ? 'not stored: an event here cannot be marked as moved online'
      : 'not stored: only schema.org event statuses (https://schema.org/EventScheduled …) are read',
  )
  return null
}

// ---------------------------------------------------------------------------------------------
// Codes in uris

export function wikidataOf(uri: unknown): string | null {
  if (typeof uri !== 'string') return null
  return /^https?:\/\/(?:www\.)?wikidata\.org\/(?:wiki|entity)\/(Q\d+)$/.exec(uri)?.[1] ?? null
}

export function countryOf(uri: unknown): string | null {
  if (typeof uri !== 'string') return null
  return /^https?:\/\/cvx?\.iptc\.org\/iso3166-1a2\/([a-z]{2})$/i.exec(uri)?.[1]?.toUpperCase() ?? null
}

const MEDIATOPIC = new RegExp(`^${MEDIATOPIC_URI.replace(/[.]/g, '\\.')}(\\d+)$`.replace('http:', 'https?:'))

/** A Media Topic uri's code ("medtop:16000000"). */
export function mediaTopicOf(uri: unknown): string | null {
  if (typeof uri !== 'string') return null
  const code = MEDIATOPIC.exec(uri)?.[1]
  return code ? `medtop:${code}` : null
}
