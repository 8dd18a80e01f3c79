import { randomUUID } from 'node:crypto'
import type { Plugin } from 'graphql-yoga'

const REQUEST_ID = /^[\w.:-]{1,128}$/
const requestIds = new WeakMap<Request, string>()

/** One id per request: the caller's X-Request-Id when it is sane, else a new one. */
export function requestIdOf(request: Request): string {
  let id = requestIds.get(request)
  if (!id) {
    const given = request.headers.get('x-request-id')
    id = given && REQUEST_ID.test(given) ? given : randomUUID()
    requestIds.set(request, id)
  }
  return id
}

/** Echoes the request id on every response, so a client can quote it when reporting a problem. */
export function useRequestId(): Plugin {
  return {
    onResponse({ request, response }) {
      response.headers.set('x-request-id', requestIdOf(request))
    },
  }
}
