// Five projects: `unit` (no database of ours), the API suite run twice, against the embedded
// database and against PostgreSQL (TEST_DATABASE_URL, default the local server), `security`
// (abuse, fuzz and fault suites against listening servers on PostgreSQL), and `browser`
// (GraphiQL in headless Chromium, CHROMIUM_PATH or /usr/bin/chromium).
import { defineConfig } from 'vitest/config'

const api = (name: 'embedded' | 'postgres') => ({
  test: {
    name,
    include: ['test/api/**/*.test.ts', ...(name === 'postgres' ? ['test/postgres/**/*.test.ts'] : [])],
    env: { TEST_DB: name },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})

export default defineConfig({
  // Node loads graphql's CommonJS build for Pothos and Yoga; Vite would otherwise give our own
  // modules the ESM build, and graphql refuses objects made by "another realm".
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 60_000 } },
      api('embedded'),
      api('postgres'),
      {
        test: {
          name: 'security',
          include: ['test/security/**/*.test.ts'],
          env: { TEST_DB: 'postgres' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'browser', include: ['test/browser/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
    ],
  },
})
