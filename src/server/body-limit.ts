// Request bodies are held to a size before anything parses them: BODY_LIMIT_PUBLIC_BYTES for the
// public, BODY_LIMIT_EDITOR_BYTES for a request with an editor's token (a bad token is refused
// with 401 before its body is read). A Content-Length over the limit is refused at once, unread; a
// body without one (chunked) is counted as it streams in, and refused as soon as it passes the
// limit, without reading the rest. Either way the answer is 413 with REQUEST_TOO_LARGE, and the
// connection is closed after it, so the server does not go on reading what the client still sends.
// (WebSocket messages have their own limit, maxPayload in websocket.ts.)
import { GraphQLError } from 'graphql'
import type { FetchAPI, Plugin } from 'graphql-yoga'

export interface BodyLimitOptions {
  publicBytes: number
  editorBytes: number
  /** whether a request is an editor's; rejects (401) for a bad token */
  isEditor: (request: Request) => Promise<boolean>
}

const tooLarge = (limit: number, editor: boolean) =>
  new GraphQLError(
    `The request body is larger than ${limit} bytes, the most this server reads from ${editor ? 'an editor' : 'the public'}.`,
    {
      extensions: { code: 'REQUEST_TOO_LARGE', limit, http: { status: 413, headers: { connection: 'close' } } },
    },
  )

const badLength = () =>
  new GraphQLError('The Content-Length header is not a number of bytes.', {
    extensions: { code: 'BAD_REQUEST', http: { status: 400, headers: { connection: 'close' } } },
  })

export function useBodyLimit({ publicBytes, editorBytes, isEditor }: BodyLimitOptions): Plugin {
  return {
    async onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (!request.body) return
      const editor = await isEditor(request)
      const limit = editor ? editorBytes : publicBytes
      const length = request.headers.get('content-length')
      if (length !== null) {
        // one non-negative integer; anything else (a list, as in request smuggling) is refused
        if (!/^\d+$/.test(length)) throw badLength()
        if (Number(length) > limit) throw tooLarge(limit, editor)
        // Node's HTTP parser frames the body by its Content-Length: the stream cannot carry more
        // than it claims (what follows would be another request), so there is nothing to count.
        return
      }
      if (!requestParser) return
      // Without a Content-Length (chunked), the parser reads the body through a counter.
      const parse = requestParser
      setRequestParser((parsed) => parse(counted(parsed, limit, () => tooLarge(limit, editor), fetchAPI)))
    },
  }
}

/** The request with its body passed through a byte counter that fails the stream past `limit`.
 *  (As Yoga's own limit does it: the body may be the platform's stream or whatwg-node's, and each
 *  needs a TransformStream of its own kind.) */
function counted(request: Request, limit: number, error: () => GraphQLError, fetchAPI: FetchAPI): Request {
  if (!request.body) return request
  let bytes = 0
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream
  const body = request.body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength
        if (bytes > limit) controller.error(error())
        else controller.enqueue(chunk)
      },
    }),
  )
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body,
    duplex: 'half',
  } as RequestInit)
}
