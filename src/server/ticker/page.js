// @ts-check
// The /ticker page's script (src/server/ticker.ts inlines it, allowed by its hash). It subscribes
// over Server-Sent Events, as a fetch POST read as a stream (EventSource's GET cannot carry the
// header the server's CSRF check asks of a GET), naming each operation by the trusted-document
// hash the server put in the page (#operations).

/**
 * @typedef {{ node: { name: string, slug: string } }} TagEdge
 * @typedef {{ id: string, headline: string, urgency: number, status: string,
 *   withdrawal: { reason: string } | null, tags: { edges: TagEdge[] } }} Story
 * @typedef {{ cursor: string, kind: string, at: string, story: Story | null }} BreakingChange
 * @typedef {{ cursor: string, kind: string, at: string, storyId: string, correctionKind: string | null,
 *   withdrawalReason: string | null, correction: { text: string } | null }} CorrectionChange
 * @typedef {{ cursor: string | null, open: boolean, failed: string | null, retries: number,
 *   controller: AbortController | null, timer: number | undefined }} Stream
 * @typedef {'breaking' | 'corrections'} StreamName
 * @typedef {{ cursor: string, all: boolean | 'status', strike: boolean, label: string, text: string }} Note
 */

'use strict'
;(function () {
  /** @param {string} id */
  const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id))

  const params = new URLSearchParams(location.search)
  const minUrgency = Math.min(9, Math.max(1, parseInt(params.get('minUrgency') || '5', 10) || 5))
  const tags = params
    .getAll('tag')
    .concat((params.get('tags') || '').split(','))
    .map(function (t) {
      return t.trim()
    })
    .filter(Boolean)
  const language = params.get('language') || null
  // what each stream opens with: the newest items, and the corrections that may concern them
  const OPENING = { breaking: 10, corrections: 50 }

  /** The operations the page runs, by name → trusted document hash. */
  const OPERATIONS = /** @type {Record<string, string>} */ (JSON.parse(byId('operations').textContent || '{}'))

  const list = byId('items')
  const empty = byId('empty')
  const status = byId('status')
  const form = /** @type {HTMLFormElement} */ (document.querySelector('form'))
  const urgencyField = /** @type {HTMLSelectElement} */ (form.elements.namedItem('minUrgency'))
  const tagsField = /** @type {HTMLInputElement} */ (form.elements.namedItem('tags'))
  urgencyField.value = String(minUrgency)
  tagsField.value = tags.join(', ')
  byId('range').textContent = minUrgency === 1 ? 'urgency 1' : 'urgency 1–' + minUrgency
  if (tags.length) byId('tagged').textContent = ', tagged ' + tags.join(' or ')
  if (language) {
    const keep = el('input')
    keep.type = 'hidden'
    keep.name = 'language'
    keep.value = language
    form.appendChild(keep)
  }

  // ---- the streams: one each, resumed from its last cursor after a drop
  /** @type {Record<string, Stream>} */
  const streams = {}
  function showStatus() {
    const names = Object.keys(streams)
    const failed = names.filter(function (n) {
      return streams[n].failed
    })
    const live = names.every(function (n) {
      return streams[n].open
    })
    status.className = failed.length || !live ? 'down' : 'live'
    status.textContent = failed.length
      ? 'Stopped: ' +
        failed
          .map(function (n) {
            return streams[n].failed
          })
          .join('; ')
      : live
        ? 'Live'
        : 'Reconnecting…'
  }

  /**
   * @template {{ cursor: string }} T
   * @param {StreamName} name
   * @param {string} field the subscription field whose changes the stream carries
   * @param {string} operationName
   * @param {Record<string, unknown>} variables
   * @param {(change: T) => void} onChange
   */
  function subscribe(name, field, operationName, variables, onChange) {
    /** @type {Stream} */
    const s = { cursor: null, open: false, failed: null, retries: 0, controller: null, timer: undefined }
    streams[name] = s

    async function connect() {
      const controller = new AbortController()
      s.controller = controller
      const refused = await run(controller.signal).catch(function () {
        return null
      })
      controller.abort()
      if (s.controller !== controller) return
      s.open = false
      if (refused) {
        s.failed = refused
      } else {
        // the server ended the stream, or the connection dropped: resubscribe from the last cursor
        clearTimeout(s.timer)
        s.timer = setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, s.retries++)))
      }
      showStatus()
    }

    /**
     * Streams the subscription until it ends or drops (null: resubscribe) or is refused (why).
     * @param {AbortSignal} signal
     * @returns {Promise<string | null>}
     */
    async function run(signal) {
      const vars = Object.assign({}, variables, s.cursor === null ? { last: OPENING[name] } : { since: s.cursor })
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({
          operationName: operationName,
          variables: vars,
          extensions: { persistedQuery: { version: 1, sha256Hash: OPERATIONS[operationName] } },
        }),
        signal: signal,
      })
      if (!response.ok || !(response.headers.get('content-type') || '').startsWith('text/event-stream')) {
        const body = await response.json().catch(function () {
          return {}
        })
        // too many requests or a server fault: later; anything else the server will refuse again
        if (response.status === 429 || response.status >= 500) return null
        return (
          (body.errors || [])
            .map(function (/** @type {{ message: string }} */ e) {
              return e.message
            })
            .join('; ') || 'HTTP ' + response.status
        )
      }
      s.open = true
      s.retries = 0
      showStatus()
      // there once the answer is a stream; typed as what TextDecoderStream reads (lib.dom's streams are invariant)
      const stream = /** @type {ReadableStream<BufferSource>} */ (response.body)
      const reader = stream.pipeThrough(new TextDecoderStream()).getReader()
      let buffer = ''
      for (;;) {
        const chunk = await reader.read()
        if (chunk.done) return null
        buffer += chunk.value.replace(/\r\n?/g, '\n')
        let end
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const lines = buffer.slice(0, end).split('\n')
          buffer = buffer.slice(end + 2)
          let event = 'message'
          /** @type {string[]} */
          const data = []
          for (const line of lines) {
            if (line.startsWith('event:')) event = line.slice(6).trim()
            else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5))
          }
          if (event === 'complete') return null
          if (event !== 'next' || !data.length) continue
          const message = JSON.parse(data.join('\n'))
          if (message.errors)
            return message.errors
              .map(function (/** @type {{ message: string }} */ e) {
                return e.message
              })
              .join('; ')
          /** @type {T | undefined} */
          const change = message.data && message.data[field]
          if (!change) continue
          // each stream delivers in cursor order: anything at or before the last cursor was seen
          if (s.cursor !== null && BigInt(change.cursor) <= BigInt(s.cursor)) continue
          s.cursor = change.cursor
          document.body.dataset[name + 'Cursor'] = change.cursor
          onChange(change)
        }
      }
    }
    connect()
  }

  // ---- the list
  /** @type {Map<string, Note[]>} story id -> its notes, also for rows yet to come */
  const corrections = new Map()
  /** @type {Record<string, string>} */
  const KINDS = { 'story.updated': 'updated', 'story.corrected': 'corrected', 'story.restored': 'restored' }
  /** @type {Record<string, string>} */
  const LABELS = {
    RETRACTION: 'Retracted',
    CORRECTION: 'Corrected',
    CLARIFICATION: 'Clarified',
    UPDATE: 'Updated',
    withdrawn: 'Withdrawn',
  }

  /**
   * @template {keyof HTMLElementTagNameMap} K
   * @param {K} tag
   * @param {string | null} [className]
   * @param {unknown} [text]
   * @returns {HTMLElementTagNameMap[K]}
   */
  function el(tag, className, text) {
    const node = document.createElement(tag)
    if (className) node.className = className
    if (text != null) node.textContent = String(text)
    return node
  }

  /** @param {string} at */
  function timeOf(at) {
    const node = el(
      'time',
      null,
      new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
    )
    node.dateTime = at
    return node
  }

  /**
   * The cursor an item was shown at.
   * @param {Element} item
   */
  const cursorOf = (item) => BigInt(/** @type {string} */ (/** @type {HTMLElement} */ (item).dataset.cursor))

  /** @param {BreakingChange} change */
  function addItem(change) {
    const story = change.story
    if (!story) return
    const item = el('li', 'item')
    item.dataset.cursor = change.cursor
    item.dataset.story = story.id
    item.appendChild(timeOf(change.at))
    const urgency = el(
      'span',
      'urgency' + (story.urgency <= 2 ? ' flash' : story.urgency <= 4 ? ' urgent' : ''),
      story.urgency,
    )
    urgency.title = 'urgency ' + story.urgency + ' (1 = flash … 9)'
    item.appendChild(urgency)
    const body = el('div', 'body')
    const line = el('div')
    line.appendChild(el('span', 'headline', story.headline))
    if (KINDS[change.kind]) line.appendChild(el('span', 'kind', KINDS[change.kind]))
    body.appendChild(line)
    const tagList = el('ul', 'tags')
    for (const edge of story.tags.edges) {
      const tag = el('li', null, edge.node.name)
      tag.dataset.slug = edge.node.slug
      tagList.appendChild(tag)
    }
    if (tagList.children.length) body.appendChild(tagList)
    item.appendChild(body)
    // newest first, by cursor
    let before = list.firstElementChild
    while (before && cursorOf(before) > BigInt(change.cursor)) before = before.nextElementSibling
    list.insertBefore(item, before)
    while (list.children.length > 200) list.lastElementChild?.remove()
    empty.hidden = true
    for (const c of corrections.get(story.id) || []) applyTo(item, c)
    // withdrawn since (seen when resuming): struck at once, until the retraction itself arrives
    if (story.status === 'WITHDRAWN' && !item.querySelector('[data-all]')) {
      annotate(item, {
        cursor: change.cursor,
        all: 'status',
        strike: true,
        label: 'Withdrawn',
        text: (story.withdrawal && story.withdrawal.reason) || '',
      })
    }
  }

  /**
   * @param {HTMLElement} item
   * @param {Note} c what a correction, retraction or withdrawal adds to the items of its story
   */
  function annotate(item, c) {
    const key = c.label + ':' + c.cursor
    if (item.querySelector('[data-note="' + CSS.escape(key) + '"]')) return
    if (c.all) {
      const other = /** @type {HTMLElement | null} */ (item.querySelector('[data-all]'))
      if (other && other.dataset.all !== 'status') return // struck for the story's retraction already
      if (other) other.remove()
    }
    if (c.strike) item.classList.add('struck')
    const note = el('p', 'note' + (c.strike ? ' strike' : ''), c.text ? c.label + ': ' + c.text : c.label)
    note.dataset.note = key
    if (c.all) note.dataset.all = c.all === 'status' ? 'status' : 'change'
    const body = /** @type {HTMLElement} */ (item.querySelector('.body'))
    body.appendChild(note)
  }

  // A retraction (or withdrawal) strikes every item of the story; a correction strikes the items it
  // supersedes (those before it); clarifications and update notes are shown without a strike.
  /**
   * @param {HTMLElement} item
   * @param {Note} c
   */
  function applyTo(item, c) {
    if (c.all || cursorOf(item) < BigInt(c.cursor)) annotate(item, c)
  }

  // what the change was, as recorded when it committed (a retracted story's correction itself is
  // no longer readable; its kind and the reason are facts of the change)
  /** @param {CorrectionChange} change */
  function addCorrection(change) {
    const kind = change.kind === 'story.withdrawn' ? 'withdrawn' : change.correctionKind
    if (!kind) return
    const retracts = kind === 'RETRACTION' || kind === 'withdrawn'
    const text = change.correction ? change.correction.text : change.withdrawalReason || ''
    /** @type {Note} */
    const c = {
      cursor: change.cursor,
      all: retracts,
      strike: retracts || kind === 'CORRECTION',
      label: LABELS[kind] || kind,
      text: text,
    }
    const id = change.storyId
    const known = corrections.get(id) || []
    known.push(c)
    corrections.delete(id)
    corrections.set(id, known)
    if (corrections.size > 500) corrections.delete(/** @type {string} */ (corrections.keys().next().value))
    for (const item of /** @type {NodeListOf<HTMLElement>} */ (list.querySelectorAll('.item')))
      if (item.dataset.story === id) applyTo(item, c)
  }

  /** @type {{ minUrgency: number, tags?: string[], language?: string }} */
  const breakingVars = { minUrgency: minUrgency }
  if (tags.length) breakingVars.tags = tags
  if (language) breakingVars.language = language
  subscribe('breaking', 'breakingNews', 'TickerPageBreaking', breakingVars, addItem)
  subscribe('corrections', 'correctionPublished', 'TickerPageCorrections', {}, addCorrection)
  showStatus()
})()
