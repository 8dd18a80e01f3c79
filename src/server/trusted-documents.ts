// Trusted documents: the operations the project's own clients send (src/clients/*.graphql: the
// /ticker page, `npm run ticker`, GraphiQL's default query, the documentation's examples), listed by
// `npm run codegen` as src/generated/clients/persisted-documents.json, SHA-256 hash → document.
//
// A client may send a listed document's hash instead of its text, and the server runs the listed
// text: as `extensions: { persistedQuery: { version: 1, sha256Hash } }` (Apollo's APQ form; the
// project's clients do), or as `documentId: "sha256:<hash>"` (GraphQL over HTTP's persisted
// documents; the bare hash too). Both by POST and by GET, where they make a short URL a CDN can
// cache: `GET /graphql?documentId=sha256:<hash>&variables=…` (docs/edge.md). With
// TRUSTED_DOCUMENTS_ONLY the public may run nothing else: a hash, or a text exactly as the list
// holds it; any other document is refused before it is parsed (TRUSTED_DOCUMENT_REQUIRED, 403).
// Editors (a valid token) may still send any operation. Over WebSocket the same plugins decide
// (see operationGate in exposure.ts).
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  defaultExtractPersistedOperationId,
  usePersistedOperations,
  type ExtractPersistedOperationId,
} from '@graphql-yoga/plugin-persisted-operations'
import type { Plugin } from 'graphql-yoga'

/** Where `npm run codegen` writes the list. */
export const TRUSTED_DOCUMENTS_FILE = fileURLToPath(
  new URL('../generated/clients/persisted-documents.json', import.meta.url),
)

/** Hash (lowercase hex SHA-256 of the document's text) → document. */
export type TrustedDocuments = ReadonlyMap<string, string>

export const documentHash = (document: string) => createHash('sha256').update(document).digest('hex')

/** Reads the list; a missing or malformed one stops the server at start, saying how to make it. */
export function loadTrustedDocuments(file = TRUSTED_DOCUMENTS_FILE): TrustedDocuments {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(`trusted documents: ${file} is missing; run \`npm run codegen\``, { cause: error })
    throw error
  }
  const entries = Object.entries(JSON.parse(text) as Record<string, unknown>)
  for (const [hash, document] of entries) {
    if (typeof document !== 'string' || documentHash(document) !== hash) {
      throw new Error(`trusted documents: ${file} does not hold hash → document pairs; run \`npm run codegen\``)
    }
  }
  return new Map(entries as [string, string][])
}

/** The hash a request names: its `documentId` (a POST body's; a GET's query string, which Yoga's
 *  parser does not read) with or without the `sha256:` prefix, or its persistedQuery extension. */
export const documentIdOf: ExtractPersistedOperationId = (params, request, context) => {
  const documentId =
    (params as { documentId?: unknown }).documentId ??
    (request.method === 'GET' ? new URL(request.url).searchParams.get('documentId') : null)
  if (typeof documentId === 'string') return documentId.replace(/^sha256:/, '')
  return defaultExtractPersistedOperationId(params, request, context)
}

export interface TrustedDocumentsOptions {
  documents: TrustedDocuments
  /** TRUSTED_DOCUMENTS_ONLY: the public may run listed documents only */
  trustedOnly: boolean
  /** whether a request is an editor's; rejects (401) for a bad token */
  isEditor: (request: Request) => Promise<boolean>
}

/** The plugins, in order: a listed text becomes its hash, then Yoga's persisted-operations plugin
 *  resolves hashes and refuses what the public may not send. */
export function useTrustedDocuments({ documents, trustedOnly, isEditor }: TrustedDocumentsOptions): Plugin[] {
  const listedText: Plugin = {
    onParams({ params, setParams }) {
      if (!trustedOnly || !params.query) return
      const sha256Hash = documentHash(params.query)
      if (!documents.has(sha256Hash)) return
      setParams({
        ...params,
        query: undefined,
        extensions: { ...params.extensions, persistedQuery: { version: 1, sha256Hash } },
      })
    },
  }
  const persisted = usePersistedOperations({
    getPersistedOperation: (hash) => documents.get(hash) ?? null,
    extractPersistedOperationId: documentIdOf,
    allowArbitraryOperations: trustedOnly ? (request) => isEditor(request) : true,
    customErrors: {
      persistedQueryOnly: {
        message:
          "This server runs only trusted documents for the public: send the hash of a listed document as documentId or extensions.persistedQuery.sha256Hash (or an editor's token).",
        extensions: { code: 'TRUSTED_DOCUMENT_REQUIRED', http: { status: 403 } },
      },
      notFound: {
        message: 'No trusted document has this hash (documentId, or extensions.persistedQuery.sha256Hash).',
        extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } },
      },
      // neither a query nor a hash: Yoga's own answer to a missing query
      keyNotFound: {
        message: 'Must provide query string.',
        extensions: { code: 'BAD_REQUEST', http: { spec: true, status: 400, headers: { Allow: 'GET, POST' } } },
      },
    },
  })
  return [listedText, persisted]
}
