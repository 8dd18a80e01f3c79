// What a public answer depends on, and what each change invalidates: the keys that the response
// cache (src/server/response-cache.ts) files answers under, and drops answers by.
//
// An answer depends on every story it shows (the cache collects them as "Story:<global id>":
// src/server/answer-objects.ts), and on every list it shows: resolvers that read a list say so
// with dependsOn (the front page on `list:stories`, a tag's stories on `stories-of:Tag:<id>`,
// a story's related stories on the lists of each entity it is filed under, …). A lookup that found
// nothing depends on `missing`.
//
// A change invalidates its object; a story change that may move stories in or out of lists, or
// reorder them, also invalidates the lists it could touch (of every entity it was or is filed
// under) and the lookups that found nothing. A change to an event, a tag, a person, an
// organisation or a place reaches into lists and relations in too many ways to track one by one,
// and is rare next to story writes: it invalidates everything.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { parseTopic, TOPIC_TYPES, type ChangeEntry, type StoryChangeEntry } from './changes.js'

export const EVERYTHING = 'everything'
export const MISSING = 'missing'
export const STORY_LIST = 'list:stories'
export const SEARCH = 'list:search'

/** The key of an object, as the cache collects it from an answer. */
export const objectKey = (type: string, rowId: string) => `${type}:${encodeGlobalID(type, rowId)}`

/** The key of the stories filed under an entity (its stories, timeline, co-mentions, and the
 *  related stories of every story filed under it). */
export const storiesOf = (type: string, rowId: string) => `stories-of:${objectKey(type, rowId)}`

/** The list of stories filed under "Type:<row id>". */
export function listOfFiled(filed: string): string {
  const at = filed.indexOf(':')
  return storiesOf(filed.slice(0, at), filed.slice(at + 1))
}

/** Story fields whose change can move the story in or out of a list, or within one (an edition's
 *  link, in or out of its original's family: Story.editions and story(slug:, language:)). */
const LIST_FIELDS = new Set([
  'sourceStoryId',
  'sourceUri',
  'editionKind',
  'slug',
  'tagIds',
  'people',
  'organisations',
  'places',
  'events',
  'language',
  'type',
  'urgency',
])
/** Story fields search reads. */
const SEARCH_FIELDS = new Set(['headline', 'lede', 'sections', 'alternativeHeadlines', ...LIST_FIELDS])

/** Whether a change can name this key (invalidatedBy below): a story, a story list, a lookup
 *  that found nothing. Other objects' keys (a tag, a person, a photo) are never named: a change to
 *  them invalidates EVERYTHING. */
export const isInvalidatable = (key: string): boolean =>
  key.startsWith('Story:') || key.startsWith('stories-of:') || key === STORY_LIST || key === SEARCH || key === MISSING

/** Records, for the response cache, that the answer being built depends on these keys (only the
 *  public's cacheable requests carry `dependencies`). */
export function dependsOn(ctx: { dependencies?: Set<string> }, ...keys: string[]): void {
  for (const key of keys) ctx.dependencies?.add(key)
}

/** The keys a committed change invalidates, or EVERYTHING. */
export function invalidatedBy(change: ChangeEntry): string[] {
  if (change.objectType !== 'Story') return [EVERYTHING]
  const keys = [objectKey('Story', change.objectId)]
  const listed = change.facts.public || change.facts.from === 'PUBLISHED'
  if (!listed) return keys
  if (movesInLists(change)) {
    keys.push(STORY_LIST, SEARCH, MISSING)
    for (const topic of change.topics) {
      const { kind, id } = parseTopic(topic)
      if (kind !== 'story') keys.push(storiesOf(TOPIC_TYPES[kind], id))
    }
  } else if (change.facts.fields?.some((f) => SEARCH_FIELDS.has(f))) {
    keys.push(SEARCH)
  }
  return keys
}

/** Whether the change may add the story to a list, take it out, or move it (a correction shows
 *  on the timelines of its events). */
function movesInLists(change: StoryChangeEntry): boolean {
  const { facts } = change
  if (facts.from !== facts.to || change.kind === 'story.published' || change.kind === 'story.corrected') return true
  return facts.fields?.some((f) => LIST_FIELDS.has(f)) ?? false
}
