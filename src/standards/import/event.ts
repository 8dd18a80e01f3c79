// A ninjs event item as an event (Event.uri): its name, description, dates, status, location and
// participants, written through createEvent, updateEvent and changeEventStatus, so a status moves
// only along the transitions an editor's would.
import { ValidationError } from '../../resolvers/errors.js'
import { allowedTransitions, BEGUN } from '../../resolvers/event-status.js'
import {
  changeEventStatus,
  createEvent,
  updateEvent,
  type ExpectedStartInput,
  type ParticipantInput,
} from '../../resolvers/event-writes.js'
import type { Written } from '../../resolvers/mutation.js'
import { LIMITS } from '../../resolvers/validation.js'
import { idOfUrn } from '../select.js'
import { decodeEntities, htmlToPlain } from '../text.js'
import { escapePointer } from '../validate.js'
import { entries, type NinjsEventDetails } from './document.js'
import { organisation, person, place } from './entities.js'
import { bounded, given, itemSlug, lower, outcome, reportUnread, type ImportOutcome, type ImportRun } from './run.js'
import { eventStatus, HTML, isPlain, PARTICIPANT_ROLES } from './vocabulary.js'

/** Every property of a ninjs item that an event reads. */
const EVENT_KEYS = new Set([
  'uri',
  'standard',
  'type',
  'representationType',
  'slugline',
  'title',
  'headlines',
  'descriptions',
  'eventDetails',
  'places',
  'organisations',
  'people',
])
const DATES = ['startDate', 'endDate', 'expectedStartDate']
const DETAILS = ['dates', 'eventStatus', 'organiser']

export async function importEvent(run: ImportRun): Promise<Written<ImportOutcome>> {
  const { tx, doc, report } = run
  const details: NinjsEventDetails = doc.eventDetails ?? {}
  const dates = details.dates ?? {}
  reportUnread(run, EVENT_KEYS, 'an event')

  const name = eventName(run)
  const description = eventDescription(run)
  const startAt = typeof dates.startDate === 'string' ? new Date(dates.startDate) : null
  const endAt = typeof dates.endDate === 'string' ? new Date(dates.endDate) : null
  const expectedStart = typeof dates.expectedStartDate === 'string' ? expectedWindow(dates.expectedStartDate) : null
  for (const key of Object.keys(dates)) {
    if (!DATES.includes(key)) {
      const reason = 'not stored: an event keeps its start, end and expected start'
      report.add(`/eventDetails/dates/${escapePointer(key)}`, reason)
    }
  }
  for (const key of Object.keys(details)) {
    if (!DETAILS.includes(key)) report.add(`/eventDetails/${escapePointer(key)}`, 'not stored')
  }
  const status = eventStatus(run, details.eventStatus)

  const places = entries(doc.places)
  const locationId = places[0] ? await place(run, places[0], '/places/0') : null
  places.slice(1).forEach((_, i) => report.add(`/places/${i + 1}`, 'not stored: an event has one location'))

  const fields = {
    name,
    description: given(run, ['descriptions'], description),
    startAt: given(run, ['eventDetails'], startAt),
    endAt: given(run, ['eventDetails'], endAt),
    expectedStart: given(run, ['eventDetails'], expectedStart),
    locationId: given(run, ['places'], locationId),
    participants: given(run, ['eventDetails', 'organisations', 'people'], await participants(run, details)),
  }
  const select = { id: true, slug: true, version: true, status: true } as const
  const urn = idOfUrn(run.uri)
  const existing =
    (await tx.event.findUnique({ where: { uri: run.uri }, select })) ??
    (urn ? await tx.event.findUnique({ where: { id: urn }, select }) : null)
  if (!existing) {
    const slug = await itemSlug(run, 'event', name)
    const written = await createEvent(tx, { ...fields, slug, status: status ?? 'SCHEDULED' })
    await tx.event.update({ where: { id: written.result.id }, data: { uri: run.uri } })
    return outcome(run, 'CREATED', { eventId: written.result.id }, [written.change])
  }
  const written = await updateEvent(tx, existing.id, existing.version, fields)
  const changes = [written.change]
  if (status && status !== existing.status) {
    // a status moves along its allowed transitions only, as changeEventStatus checks
    const begun =
      (await tx.eventStatusChange.count({ where: { eventId: existing.id, toStatus: { in: [...BEGUN] } } })) > 0
    if (allowedTransitions(existing.status, begun).includes(status)) {
      const change = { eventId: existing.id, version: existing.version + 1, to: status, note: 'Imported from ninjs.' }
      changes.push((await changeEventStatus(tx, change)).change)
    } else {
      report.add('/eventDetails/eventStatus', `not applied: a ${existing.status} event cannot become ${status}`)
    }
  }
  return outcome(run, 'UPDATED', { eventId: existing.id }, changes)
}

/** The organiser, and the organisations and people whose rel is a participant role. */
async function participants(run: ImportRun, details: NinjsEventDetails): Promise<ParticipantInput[]> {
  const { doc, report } = run
  const found: ParticipantInput[] = []
  const add = (p: ParticipantInput, pointer: string) => {
    if (found.some((q) => q.organisationId === p.organisationId && q.personId === p.personId)) return
    if (found.length >= LIMITS.participants) {
      return report.add(pointer, `not stored: an event has at most ${LIMITS.participants} participants`)
    }
    found.push(p)
  }
  if (details.organiser) {
    const id = await organisation(run, details.organiser, '/eventDetails/organiser')
    if (id) add({ role: 'ORGANISER', organisationId: id }, '/eventDetails/organiser')
  }
  const roles = Object.keys(PARTICIPANT_ROLES).join(', ')
  for (const key of ['organisations', 'people'] as const) {
    for (const [i, entry] of entries(doc[key]).entries()) {
      if (!entry) continue
      const pointer = `/${key}/${i}`
      const role = PARTICIPANT_ROLES[lower(entry.rel) ?? '']
      const organiser = details.organiser && key === 'organisations' && (await organisation(run, entry, pointer, false))
      if (!role && organiser && found.some((p) => p.organisationId === organiser)) continue
      if (!role) {
        const reason =
          entry.rel === undefined
            ? `not linked: no rel says its part in the event (${roles})`
            : `not linked: "${entry.rel}" is no participant role (${roles})`
        report.add(pointer, reason)
        continue
      }
      const id = key === 'organisations' ? await organisation(run, entry, pointer) : await person(run, entry, pointer)
      if (id) add(key === 'organisations' ? { role, organisationId: id } : { role, personId: id }, pointer)
    }
  }
  return found
}

/** The title, else the first headline with a value. */
function eventName(run: ImportRun): string {
  const { doc } = run
  const headlines = entries(doc.headlines)
  const title = bounded('/title', doc.title, LIMITS.name)
  const headline = headlines.findIndex((h) => typeof h?.value === 'string' && h.value.trim())
  headlines.forEach((_, i) => {
    if (i !== headline || title) run.report.add(`/headlines/${i}`, 'not stored: an event has one name')
  })
  const name =
    title ?? (headline >= 0 ? bounded(`/headlines/${headline}/value`, headlines[headline]!.value, LIMITS.name) : null)
  if (!name)
    throw new ValidationError([{ field: '/title', message: 'an event needs a name: give a title or a headline' }])
  return name
}

/** The first description in text or HTML, as text. */
function eventDescription(run: ImportRun): string | null {
  const list = entries(run.doc.descriptions)
  const index = list.findIndex((d) => d && (isPlain(d.contentType) || HTML.test(d.contentType ?? '')))
  list.forEach((_, i) => {
    if (i !== index) run.report.add(`/descriptions/${i}`, 'not stored: an event has one description')
  })
  if (index < 0) return null
  const d = list[index]!
  const text = HTML.test(d.contentType ?? '') ? htmlToPlain(d.value) : decodeEntities(d.value)
  return bounded(`/descriptions/${index}/value`, text, LIMITS.description)
}

/** An expected start written as a truncated date ("2025", "2025-07", "2025-07-28"), as a window. */
export function expectedWindow(value: string): ExpectedStartInput {
  const [year, month, day] = value.split(/[-T]/).map(Number)
  if (/^-?\d{4,}$/.test(value)) {
    return { from: new Date(Date.UTC(year!, 0, 1)), to: new Date(Date.UTC(year! + 1, 0, 1) - 1000), precision: 'YEAR' }
  }
  if (/^-?\d{4,}-\d{2}$/.test(value)) {
    const from = new Date(Date.UTC(year!, month! - 1, 1))
    return { from, to: new Date(Date.UTC(year!, month!, 1) - 1000), precision: 'MONTH' }
  }
  if (/^-?\d{4,}-\d{2}-\d{2}$/.test(value)) {
    const from = new Date(Date.UTC(year!, month! - 1, day!))
    return { from, to: new Date(Date.UTC(year!, month! - 1, day! + 1) - 1000), precision: 'DAY' }
  }
  // with a time (and without a zone, read as UTC): exact
  const at = new Date(/(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`)
  return { from: at, to: at, precision: 'EXACT' }
}
