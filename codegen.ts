// GraphQL Code Generator: typed documents for the operations in test/documents, checked against
// the committed schema.graphql. Output goes to test/generated (not committed).
import type { CodegenConfig } from '@graphql-codegen/cli'

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/documents/**/*.graphql'],
  ignoreNoDocuments: false,
  importExtension: '.js',
  generates: {
    'test/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { scalars: { DateTime: 'string' }, enumsAsTypes: true, useTypeImports: true },
    },
  },
}

export default config
