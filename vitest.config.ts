// Three projects: `unit` (no database of ours), and the API suite run twice, against the embedded
// database and against PostgreSQL (TEST_DATABASE_URL, default the local server).
import { defineConfig } from 'vitest/config'

const api = (name: 'embedded' | 'postgres') => ({
  test: {
    name,
    include: ['test/api/**/*.test.ts'],
    env: { TEST_DB: name },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 60_000 } },
      api('embedded'),
      api('postgres'),
    ],
  },
})
