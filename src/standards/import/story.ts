// A ninjs text, composite or media item as a story: the story's fields from the item's parts
// (story-text.ts, photo.ts, entities.ts) and from what its body's markup marks (a figure for the
// photo, the byline for the contributors, the dateline for a place: body.ts), written through
// createStory or updateStory, then its publication state (pubStatus, embargoedUntil) through
// publishStory and withdrawStory.
import type { ChangeEntry } from '../../live/changes.js'
import type { Written } from '../../resolvers/mutation.js'
import * as stories from '../../resolvers/story-writes.js'
import { LIMITS } from '../../resolvers/validation.js'
import { effectiveStatus } from '../../resolvers/visibility.js'
import { ADAPTED_BY_ROLE, SOURCE_ROLE } from '../ninjs.js'
import { idOfUrn } from '../select.js'
import { entries, type NinjsEntity } from './document.js'
import { bylineNames } from './body.js'
import { datelinePlaces, eventLinks, links, organisation, person, place, reportContact, tags } from './entities.js'
import { associatedPhoto, itemPhoto } from './photo.js'
import { bounded, given, itemSlug, lower, outcome, reportUnread, type ImportOutcome, type ImportRun } from './run.js'
import {
  body as readBody,
  descriptions as readDescriptions,
  headlines as readHeadlines,
  type BodyText,
} from './story-text.js'
import { CONTRIBUTOR_ROLES, genre, language } from './vocabulary.js'

/** Every property of a ninjs item that a story reads. */
const STORY_KEYS = new Set([
  'uri',
  'standard',
  'type',
  'representationType',
  'pubStatus',
  'embargoedUntil',
  'urgency',
  'language',
  'headlines',
  'title',
  'descriptions',
  'bodies',
  'associations',
  'renditions',
  'copyrightHolder',
  'copyrightNotice',
  'by',
  'edNote',
  'genres',
  'subjects',
  'people',
  'organisations',
  'places',
  'events',
  'infoSources',
  'slugline',
  'eventDetails',
])

export async function importStory(
  run: ImportRun,
  by: stories.Author,
  kind: 'text' | 'media',
): Promise<Written<ImportOutcome>> {
  const { tx, doc, report } = run
  const existing = await findStory(run)
  reportUnread(run, STORY_KEYS, 'a story')
  if (doc.eventDetails)
    report.add('/eventDetails', 'not stored: a story is not an event (import the event item itself)')

  const descriptions = readDescriptions(run, kind)
  const body = readBody(run)
  let photo: stories.Photo | null
  if (kind === 'media') {
    const reason = `${doc.type === 'audio' ? 'an' : 'a'} ${doc.type} item is stored as a story with its picture as the photo: stories here have no ${doc.type} type`
    report.add('/type', reason)
    photo = itemPhoto(run, descriptions, body)
    entries(doc.associations).forEach((_, i) => {
      report.add(
        `/associations/${i}`,
        'not stored: associated items are not kept with a story; import the item on its own',
      )
    })
  } else {
    photo = associatedPhoto(run, descriptions, body)
  }
  const { headline, alternativeHeadlines } = readHeadlines(run, body.sections)
  const credits = await infoSources(run)
  const storyType = genre(run)
  // a part the document gives is made; a partial one's other parts stay the story's, and what the
  // body had for them is noted
  const withBody = async <T>(keys: string[], added: unknown[], what: string, make: () => T | Promise<T>) => {
    if (given(run, keys, true)) return make()
    if (added.length) body.notes.push(`not stored: ${what}, as the document gives no ${keys[0]}`)
    return undefined
  }

  const languageTag = language(run)
  const patch: stories.StoryPatch = {
    headline,
    alternativeHeadlines: given(run, ['headlines'], alternativeHeadlines),
    lede: given(run, ['descriptions'], descriptions.lede),
    sections: given(run, ['bodies'], body.sections),
    language: languageTag ?? undefined,
    type: storyType ?? undefined,
    urgency: doc.urgency,
    byline: given(
      run,
      body.bylines.length ? ['by', 'bodies'] : ['by'],
      bounded('/by', doc.by, LIMITS.byline) ?? body.bylines[0] ?? null,
    ),
    editionNote: descriptions.editionNote ?? undefined,
    editorNote: bounded('/edNote', doc.edNote, LIMITS.editorNote) ?? undefined,
    photo: await withBody(['associations', 'renditions'], body.figures, 'the figure', () => photo),
    contributors: await withBody(['infoSources'], body.bylines, 'the byline', () =>
      bylineContributors(run, body, credits.contributors),
    ),
    tagIds: given(run, ['subjects'], await tags(run)),
    people: given(run, ['people'], await links(run, 'people', person)),
    organisations: given(run, ['organisations'], await links(run, 'organisations', organisation)),
    places: await withBody(['places'], body.datelines, 'the dateline', async () =>
      datelinePlaces(run, body, await links(run, 'places', place)),
    ),
    events: given(run, ['events'], await eventLinks(run)),
    sourceOrganisationId: given(run, ['infoSources'], credits.sourceOrganisationId),
    adaptedById: given(run, ['infoSources'], credits.adaptedById),
  }

  let written: Written<{ id: string }>
  let action: ImportOutcome['action']
  if (existing) {
    action = 'UPDATED'
    if (typeof doc.slugline === 'string' && doc.slugline !== existing.slug) {
      report.add('/slugline', 'the story keeps its slug')
    }
    written = await stories.updateStory(tx, by, existing.id, existing.version, patch)
  } else {
    action = 'CREATED'
    const slug = await itemSlug(run, 'story', headline)
    written = await stories.createStory(tx, by, { ...patch, slug, headline })
    await tx.story.update({ where: { id: written.result.id }, data: { uri: run.uri } })
  }
  if (body.notes.length) report.add(body.pointer, [...new Set(body.notes)].join('; '))
  const id = written.result.id
  const changes = [written.change, ...(await storyState(run, by, id, descriptions.withdrawal))]
  return outcome(run, action, { storyId: id }, changes)
}

/** The story an earlier import of this uri made, or the story our own urn:uuid names. */
async function findStory(run: ImportRun) {
  const select = { id: true, slug: true, version: true } as const
  const byUri = await run.tx.story.findUnique({ where: { uri: run.uri }, select })
  if (byUri) return byUri
  const id = idOfUrn(run.uri)
  return id ? run.tx.story.findUnique({ where: { id }, select }) : null
}

/**
 * pubStatus (usable, withheld, canceled) and embargoedUntil, through the same writes as
 * publishStory and withdrawStory. What cannot be done to the story as it stands is reported.
 */
async function storyState(
  run: ImportRun,
  by: stories.Author,
  id: string,
  withdrawal: string | null,
): Promise<ChangeEntry[]> {
  const { tx, doc, report } = run
  const story = await tx.story.findUniqueOrThrow({
    where: { id },
    select: { version: true, status: true, embargoedUntil: true },
  })
  const now = new Date()
  const status = effectiveStatus(story, now)
  const embargo = typeof doc.embargoedUntil === 'string' ? new Date(doc.embargoedUntil) : null
  const wanted = doc.pubStatus ?? 'usable'
  if (wanted === 'canceled') {
    if (story.status === 'WITHDRAWN') return []
    const reason = withdrawal ?? 'Canceled by its provider (ninjs pubStatus "canceled").'
    return [(await stories.withdrawStory(tx, by, id, story.version, reason.slice(0, LIMITS.withdrawalReason))).change]
  }
  if (story.status === 'WITHDRAWN') {
    report.add('/pubStatus', 'the story is withdrawn, and stays so: publish a new item instead')
    return []
  }
  if (wanted === 'withheld') {
    if (status !== 'DRAFT') {
      report.add('/pubStatus', 'the story is already published or scheduled; withdraw it to take it down')
    }
    if (embargo) report.add('/embargoedUntil', 'not applied: the item is withheld')
    return []
  }
  if (embargo && embargo > now) {
    if (status === 'PUBLISHED') {
      report.add('/embargoedUntil', 'not applied: the story is already public')
      return []
    }
    if (story.embargoedUntil?.getTime() === embargo.getTime()) return []
    return [(await stories.publishStory(tx, by, id, story.version, embargo)).change]
  }
  if (status === 'PUBLISHED') return []
  return [(await stories.publishStory(tx, by, id, story.version, null)).change]
}

/**
 * infoSources: the contributors by role (author, reporter, …), the source organisation (role
 * "source", or the first without a role) and the organisation that adapted the edition.
 */
async function infoSources(run: ImportRun) {
  const { report } = run
  const contributors: stories.StoryContent['contributors'] = []
  let sourceOrganisationId: string | null = null
  let adaptedById: string | null = null
  for (const [i, s] of entries(run.doc.infoSources).entries()) {
    if (!s) continue
    const pointer = `/infoSources/${i}`
    const role = lower(s.role)
    reportContact(run, s, pointer)
    if (role === SOURCE_ROLE || (role === undefined && !sourceOrganisationId)) {
      if (sourceOrganisationId) report.add(pointer, 'not stored: a story has one source organisation')
      else sourceOrganisationId = await organisation(run, s, pointer)
    } else if (role === ADAPTED_BY_ROLE) {
      if (adaptedById) report.add(pointer, 'not stored: a story has one adapting organisation')
      else adaptedById = await organisation(run, s, pointer)
    } else if (role && CONTRIBUTOR_ROLES[role]) {
      const name =
        bounded(`${pointer}/name`, s.name, LIMITS.name) ?? bounded(`${pointer}/literal`, s.literal, LIMITS.name)
      if (!name) {
        report.add(pointer, 'not stored: a contributor needs a name')
        continue
      }
      if (contributors.length >= LIMITS.contributors) {
        report.add(pointer, `not stored: a story credits at most ${LIMITS.contributors}`)
        continue
      }
      contributors.push(await credited(run, CONTRIBUTOR_ROLES[role]!, name, s, pointer))
    } else {
      report.add(pointer, `not stored: no field for an information source with the role "${s.role}"`)
    }
  }
  return { contributors, sourceOrganisationId, adaptedById }
}

type Contributor = stories.StoryContent['contributors'][number]

/** A contributor credited by name, linked to the organisation or person it names when one is known. */
async function credited(
  run: ImportRun,
  role: Contributor['role'],
  name: string,
  entry: NinjsEntity,
  pointer: string,
): Promise<Contributor> {
  const organisationId = await organisation(run, entry, pointer, false)
  const personId = organisationId ? null : await person(run, entry, pointer, false)
  return { role, name, organisationId, personId }
}

/** `contributors` and the names the body's bylines credit, as authors, unless already credited. */
async function bylineContributors(run: ImportRun, body: BodyText, contributors: Contributor[]) {
  const all = [...contributors]
  for (const name of body.bylines.flatMap(bylineNames)) {
    if (all.some((c) => c.name.toLowerCase() === name.toLowerCase())) continue
    if (all.length >= LIMITS.contributors) {
      body.notes.push(`not stored: a story credits at most ${LIMITS.contributors}`)
      break
    }
    all.push(await credited(run, 'AUTHOR', name, { name }, body.pointer))
  }
  return all
}
