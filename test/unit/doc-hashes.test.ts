// Every trusted document's hash the documentation prints (a `documentId=sha256:…` URL, an APQ
// `sha256Hash`) names a document the server lists: a reader who copies one gets an answer, not
// PERSISTED_QUERY_NOT_FOUND, after the document changed.
import { describe, expect, it } from 'vitest'
import { loadTrustedDocuments } from '../../src/server/trusted-documents.js'
import { docsText } from '../helpers/docs.js'

describe('the hashes in the documentation', () => {
  it('are of listed trusted documents', () => {
    const listed = loadTrustedDocuments()
    const printed = [...docsText().matchAll(/(?:sha256:|"sha256Hash":\s*")([0-9a-f]{64})/g)].map((m) => m[1]!)
    expect(printed.length).toBeGreaterThan(1)
    expect(printed.filter((hash) => !listed.has(hash))).toEqual([])
  })
})
