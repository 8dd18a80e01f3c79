// GET /ticker: a live ticker for people, in one page of plain HTML with a small inline script and
// no build step. The page subscribes over Server-Sent Events (fetch: a POST to /graphql with a JSON
// body, read as a stream; not EventSource, whose GET cannot carry the header the server's CSRF
// check asks of a GET) to breakingNews and correctionPublished, naming each operation by its
// trusted document's hash (src/clients/ticker-page.graphql), shows each breaking item as it
// arrives, newest first, and strikes through what a correction or retraction concerns. Each
// stream opens with the newest items (`last`), keeps its last cursor and resumes with `since`
// after a drop; messages are deduplicated by cursor. Options in the query string: ?minUrgency=1..9 (default 5), ?tags=slug,slug, ?language=en.
import type { Plugin } from 'graphql-yoga'
import { hashOf, TickerPageBreakingDocument, TickerPageCorrectionsDocument } from '../clients/documents.js'
import { contentSecurityPolicy } from './csp.js'

const STYLE = `
:root { color-scheme: light; --ink: #1b1b1b; --muted: #666; --rule: #ddd; --flash: #b3001b; --urgent: #b35c00; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 52rem; padding: 1.5rem 1rem 3rem; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: .5rem 1.5rem; border-bottom: 2px solid var(--ink); padding-bottom: .5rem; }
h1 { margin: 0; font-size: 1.5rem; }
#scope, #status { margin: 0; font-size: .9rem; color: var(--muted); }
#status.live::before { content: "● "; color: #0a7d28; }
#status.down::before { content: "● "; color: var(--flash); }
form { margin: .75rem 0 .5rem; display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; font-size: .9rem; }
input, select, button { font: inherit; }
#empty { color: var(--muted); margin: 1.5rem 0; }
ol { list-style: none; margin: 0; padding: 0; }
.item { display: grid; grid-template-columns: auto 2rem 1fr; gap: .25rem .75rem; padding: .75rem 0; border-bottom: 1px solid var(--rule); }
.item time { color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
.urgency { align-self: start; justify-self: start; min-width: 1.6rem; text-align: center; border-radius: .3rem; font-weight: 600; background: #eee; }
.urgency.flash { background: var(--flash); color: #fff; }
.urgency.urgent { background: var(--urgent); color: #fff; }
.headline { font-weight: 600; }
.kind { margin-left: .5rem; font-size: .8rem; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.tags { display: flex; flex-wrap: wrap; gap: .3rem; margin: .3rem 0 0; padding: 0; list-style: none; }
.tags li { font-size: .8rem; padding: 0 .45rem; border: 1px solid var(--rule); border-radius: 1rem; color: var(--muted); }
.note { margin: .35rem 0 0; font-size: .9rem; }
.struck .headline, .struck .tags { text-decoration: line-through; color: var(--muted); }
.struck .note.strike { color: var(--flash); font-weight: 600; }
`

/** The operations the page runs, by name → trusted document hash. */
const OPERATIONS = {
  TickerPageBreaking: hashOf(TickerPageBreakingDocument),
  TickerPageCorrections: hashOf(TickerPageCorrectionsDocument),
}

const SCRIPT = `
'use strict';
(function () {
  const params = new URLSearchParams(location.search);
  const minUrgency = Math.min(9, Math.max(1, parseInt(params.get('minUrgency') || '5', 10) || 5));
  const tags = params.getAll('tag').concat((params.get('tags') || '').split(','))
    .map(function (t) { return t.trim(); }).filter(Boolean);
  const language = params.get('language') || null;
  // what each stream opens with: the newest items, and the corrections that may concern them
  const OPENING = { breaking: 10, corrections: 50 };

  const OPERATIONS = ${JSON.stringify(OPERATIONS)};

  const list = document.getElementById('items');
  const empty = document.getElementById('empty');
  const status = document.getElementById('status');
  const form = document.querySelector('form');
  form.elements.minUrgency.value = String(minUrgency);
  form.elements.tags.value = tags.join(', ');
  document.getElementById('range').textContent = minUrgency === 1 ? 'urgency 1' : 'urgency 1–' + minUrgency;
  if (tags.length) document.getElementById('tagged').textContent = ', tagged ' + tags.join(' or ');
  if (language) {
    const keep = el('input');
    keep.type = 'hidden';
    keep.name = 'language';
    keep.value = language;
    form.appendChild(keep);
  }

  // ---- the streams: one each, resumed from its last cursor after a drop
  const streams = {};
  function showStatus() {
    const names = Object.keys(streams);
    const failed = names.filter(function (n) { return streams[n].failed; });
    const live = names.every(function (n) { return streams[n].open; });
    status.className = failed.length || !live ? 'down' : 'live';
    status.textContent = failed.length ? 'Stopped: ' + failed.map(function (n) { return streams[n].failed; }).join('; ')
      : live ? 'Live' : 'Reconnecting…';
  }

  function subscribe(name, field, operationName, variables, onChange) {
    const s = { cursor: null, open: false, failed: null, retries: 0, controller: null, timer: null };
    streams[name] = s;

    async function connect() {
      const controller = new AbortController();
      s.controller = controller;
      const refused = await run(controller.signal).catch(function () { return null; });
      controller.abort();
      if (s.controller !== controller) return;
      s.open = false;
      if (refused) {
        s.failed = refused;
      } else {
        // the server ended the stream, or the connection dropped: resubscribe from the last cursor
        clearTimeout(s.timer);
        s.timer = setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, s.retries++)));
      }
      showStatus();
    }

    // Streams the subscription until it ends or drops (null: resubscribe) or is refused (why).
    async function run(signal) {
      const vars = Object.assign({}, variables, s.cursor === null ? { last: OPENING[name] } : { since: s.cursor });
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ operationName: operationName, variables: vars,
          extensions: { persistedQuery: { version: 1, sha256Hash: OPERATIONS[operationName] } } }),
        signal: signal,
      });
      if (!response.ok || !(response.headers.get('content-type') || '').startsWith('text/event-stream')) {
        const body = await response.json().catch(function () { return {}; });
        // too many requests or a server fault: later; anything else the server will refuse again
        if (response.status === 429 || response.status >= 500) return null;
        return (body.errors || []).map(function (e) { return e.message; }).join('; ') || 'HTTP ' + response.status;
      }
      s.open = true;
      s.retries = 0;
      showStatus();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return null;
        buffer += chunk.value.replace(/\\r\\n?/g, '\\n');
        let end;
        while ((end = buffer.indexOf('\\n\\n')) >= 0) {
          const lines = buffer.slice(0, end).split('\\n');
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data = [];
          for (const line of lines) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
          }
          if (event === 'complete') return null;
          if (event !== 'next' || !data.length) continue;
          const message = JSON.parse(data.join('\\n'));
          if (message.errors) return message.errors.map(function (e) { return e.message; }).join('; ');
          const change = message.data && message.data[field];
          if (!change) continue;
          // each stream delivers in cursor order: anything at or before the last cursor was seen
          if (s.cursor !== null && BigInt(change.cursor) <= BigInt(s.cursor)) continue;
          s.cursor = change.cursor;
          document.body.dataset[name + 'Cursor'] = change.cursor;
          onChange(change);
        }
      }
    }
    connect();
  }

  // ---- the list
  const corrections = new Map(); // story id -> [{ cursor, strike, label, text }], also for rows yet to come
  const KINDS = { 'story.updated': 'updated', 'story.corrected': 'corrected', 'story.restored': 'restored' };
  const LABELS = { RETRACTION: 'Retracted', CORRECTION: 'Corrected', CLARIFICATION: 'Clarified', UPDATE: 'Updated', withdrawn: 'Withdrawn' };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = String(text);
    return node;
  }

  function timeOf(at) {
    const node = el('time', null, new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }));
    node.dateTime = at;
    return node;
  }

  function addItem(change) {
    const story = change.story;
    if (!story) return;
    const item = el('li', 'item');
    item.dataset.cursor = change.cursor;
    item.dataset.story = story.id;
    item.appendChild(timeOf(change.at));
    const urgency = el('span', 'urgency' + (story.urgency <= 2 ? ' flash' : story.urgency <= 4 ? ' urgent' : ''), story.urgency);
    urgency.title = 'urgency ' + story.urgency + ' (1 = flash … 9)';
    item.appendChild(urgency);
    const body = el('div', 'body');
    const line = el('div');
    line.appendChild(el('span', 'headline', story.headline));
    if (KINDS[change.kind]) line.appendChild(el('span', 'kind', KINDS[change.kind]));
    body.appendChild(line);
    const tagList = el('ul', 'tags');
    for (const edge of story.tags.edges) {
      const tag = el('li', null, edge.node.name);
      tag.dataset.slug = edge.node.slug;
      tagList.appendChild(tag);
    }
    if (tagList.children.length) body.appendChild(tagList);
    item.appendChild(body);
    // newest first, by cursor
    let before = list.firstElementChild;
    while (before && BigInt(before.dataset.cursor) > BigInt(change.cursor)) before = before.nextElementSibling;
    list.insertBefore(item, before);
    while (list.children.length > 200) list.lastElementChild.remove();
    empty.hidden = true;
    for (const c of corrections.get(story.id) || []) applyTo(item, c);
    // withdrawn since (seen when resuming): struck at once, until the retraction itself arrives
    if (story.status === 'WITHDRAWN' && !item.querySelector('[data-all]')) {
      annotate(item, { cursor: change.cursor, all: 'status', strike: true, label: 'Withdrawn', text: (story.withdrawal && story.withdrawal.reason) || '' });
    }
  }

  function annotate(item, c) {
    const key = c.label + ':' + c.cursor;
    if (item.querySelector('[data-note="' + CSS.escape(key) + '"]')) return;
    if (c.all) {
      const other = item.querySelector('[data-all]');
      if (other && other.dataset.all !== 'status') return; // struck for the story's retraction already
      if (other) other.remove();
    }
    if (c.strike) item.classList.add('struck');
    const note = el('p', 'note' + (c.strike ? ' strike' : ''), c.text ? c.label + ': ' + c.text : c.label);
    note.dataset.note = key;
    if (c.all) note.dataset.all = c.all === 'status' ? 'status' : 'change';
    item.querySelector('.body').appendChild(note);
  }

  // A retraction (or withdrawal) strikes every item of the story; a correction strikes the items it
  // supersedes (those before it); clarifications and update notes are shown without a strike.
  function applyTo(item, c) {
    if (c.all || BigInt(item.dataset.cursor) < BigInt(c.cursor)) annotate(item, c);
  }

  // what the change was, as recorded when it committed (a retracted story's correction itself is
  // no longer readable; its kind and the reason are facts of the change)
  function addCorrection(change) {
    const kind = change.kind === 'story.withdrawn' ? 'withdrawn' : change.correctionKind;
    if (!kind) return;
    const retracts = kind === 'RETRACTION' || kind === 'withdrawn';
    const text = change.correction ? change.correction.text : change.withdrawalReason || '';
    const c = { cursor: change.cursor, all: retracts, strike: retracts || kind === 'CORRECTION', label: LABELS[kind] || kind, text: text };
    const id = change.storyId;
    const known = corrections.get(id) || [];
    known.push(c);
    corrections.delete(id);
    corrections.set(id, known);
    if (corrections.size > 500) corrections.delete(corrections.keys().next().value);
    for (const item of list.querySelectorAll('.item')) if (item.dataset.story === id) applyTo(item, c);
  }

  const breakingVars = { minUrgency: minUrgency };
  if (tags.length) breakingVars.tags = tags;
  if (language) breakingVars.language = language;
  subscribe('breaking', 'breakingNews', 'TickerPageBreaking', breakingVars, addItem);
  subscribe('corrections', 'correctionPublished', 'TickerPageCorrections', {}, addCorrection);
  showStatus();
})();
`

const CSP = contentSecurityPolicy({
  scripts: [SCRIPT],
  styles: [STYLE],
  allow: { 'connect-src': "'self'", 'form-action': "'self'" },
})

function page(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Live ticker · News graph</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Live ticker</h1>
<p id="scope">Breaking news, <span id="range"></span><span id="tagged"></span></p>
<p id="status" role="status">Connecting…</p>
</header>
<form method="get" action="/ticker">
<label>Urgency 1 to
<select name="minUrgency">${[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `<option>${n}</option>`).join('')}</select></label>
<label>Tags <input name="tags" placeholder="slugs, comma-separated" size="24"></label>
<button>Apply</button>
</form>
<p id="empty">Waiting for news… Items appear here as they are published, newest first.</p>
<ol id="items" aria-live="polite"></ol>
<noscript><p>The ticker needs JavaScript; or subscribe to breakingNews over SSE or WebSocket at /graphql.</p></noscript>
<script>${SCRIPT}</script>
</body>
</html>
`
}

/** Serves the ticker page at GET /ticker. */
export function useTicker(): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/ticker') return
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response('Method Not Allowed', { status: 405, headers: { allow: 'GET, HEAD' } }))
        return
      }
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : page(), {
          headers: {
            'content-type': 'text/html; charset=utf-8',
            'cache-control': 'no-store',
            'content-security-policy': CSP,
            'x-content-type-options': 'nosniff',
            'referrer-policy': 'no-referrer',
          },
        }),
      )
    },
  }
}
