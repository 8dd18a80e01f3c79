// GraphQL Code Generator, checked against the committed schema.graphql (outputs not committed):
// - typed documents for the operations in test/documents, into test/generated;
// - the project's own clients' operations (src/clients: the ticker page, `npm run ticker`, the
//   GraphiQL default query, the README's examples), into src/generated/clients: each typed
//   document carries only its hash, and persisted-documents.json (hash → document) is the
//   allow-list the server loads for TRUSTED_DOCUMENTS_ONLY (src/server/trusted-documents.ts).
import { createHash } from 'node:crypto'
import type { CodegenConfig } from '@graphql-codegen/cli'

const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  importExtension: '.js',
  generates: {
    'src/generated/clients/': {
      documents: ['src/clients/**/*.graphql'],
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        // plain hex SHA-256, as extensions.persistedQuery.sha256Hash carries it (the preset's
        // 'sha256' would prefix "sha256:")
        persistedDocuments: {
          mode: 'replaceDocumentWithHash',
          hashAlgorithm: (document: string) => createHash('sha256').update(document).digest('hex'),
        },
      },
      config: { scalars: { DateTime: 'string' }, enumsAsTypes: true, useTypeImports: true },
    },
    'test/generated/': {
      documents: ['test/documents/**/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { scalars: { DateTime: 'string' }, enumsAsTypes: true, useTypeImports: true },
    },
  },
}

export default config
