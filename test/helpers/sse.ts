// A GraphQL subscription over Server-Sent Events (POST with Accept: text/event-stream), read as
// it arrives: every event, the `next` payloads, and whether the server ended the stream.
export interface SseStream {
  /** every event as sent (`event: …\ndata: …`), keep-alive comments left out */
  events: string[]
  /** the payload of every `next` event */
  received: any[]
  /** true once the server ended the response */
  readonly ended: boolean
  /** how the response failed, if it did (not by `close`) */
  readonly error: unknown
  /** resolves when the response ends (by the server, by `close`, or by failing) */
  done: Promise<void>
  close(): void
}

export function sseStream(
  origin: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): SseStream {
  const controller = new AbortController()
  const events: string[] = []
  const received: any[] = []
  let ended = false
  let error: unknown = null
  const done = (async () => {
    const response = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    })
    const decoder = new TextDecoder()
    let buffer = ''
    const reader = response.body!.getReader()
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      buffer += decoder.decode(chunk.value, { stream: true })
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const event = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        if (event.startsWith(':')) continue
        events.push(event)
        const data = event.split('\n').find((line) => line.startsWith('data:'))
        if (event.startsWith('event: next') && data) received.push(JSON.parse(data.slice(5)))
      }
    }
    ended = true
  })().catch((failure) => {
    if (!controller.signal.aborted) error = failure
  })
  return {
    events,
    received,
    get ended() {
      return ended
    },
    get error() {
      return error
    },
    done,
    close: () => controller.abort(),
  }
}
