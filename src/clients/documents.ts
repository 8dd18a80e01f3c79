// The project's own clients' operations (src/clients/*.graphql), typed, each carrying only the
// hash under which the server's trusted-document list holds it (made by `npm run codegen`).
// Clients send the hash, never the text: see src/server/trusted-documents.ts.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'

export * from '../generated/clients/graphql.js'

/** The hash of one of the clients' operations. */
export function hashOf(document: TypedDocumentNode<unknown, never>): string {
  return (document as unknown as { __meta__: { hash: string } }).__meta__.hash
}

/** The `extensions` that name an operation by its hash, as the server's persisted-operations plugin reads them. */
export function persistedQuery(document: TypedDocumentNode<unknown, never>) {
  return { persistedQuery: { version: 1, sha256Hash: hashOf(document) } }
}
