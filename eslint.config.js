// Lint: typescript-eslint's recommended rules, with types, and no import cycles.
// Formatting is Prettier's (npm run lint runs both).
import js from '@eslint/js'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import { importX } from 'eslint-plugin-import-x'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['src/generated/**', 'test/generated/**', 'bench/results/**', 'node_modules/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: {
      'import-x/no-cycle': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  // Tests, the bench and scripts read untyped GraphQL answers; `any` is the honest type there.
  { files: ['test/**', 'bench/**', 'scripts/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // The /ticker page's script runs in the browser, as a classic script. TypeScript checks its names
  // against the browser's (src/server/ticker/tsconfig.json, lib DOM), so no-undef, which knows only
  // the globals listed to it, is left to TypeScript, as typescript-eslint advises.
  { files: ['src/server/ticker/*.js'], languageOptions: { sourceType: 'script' }, rules: { 'no-undef': 'off' } },
)
