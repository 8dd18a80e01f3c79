import { describe, expect, it } from 'vitest'
import { DEVELOPMENT_JWT_SECRET, loadConfig } from '../../src/config.js'

describe('configuration', () => {
  it('has working defaults for a newcomer', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ PORT: 4000, DATA_DIR: './data/pglite', DATABASE_POOL_MAX: 10, SEED_ON_START: true })
    expect(config.DATABASE_URL).toBeUndefined()
    expect(config.JWT_SECRET).toBe(DEVELOPMENT_JWT_SECRET)
  })

  it('names the variable at fault', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/)
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL/)
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: must be at least 32 characters/)
  })

  it('wants a real JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required in production/)
    const secret = 'x'.repeat(40)
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret })).toMatchObject({ JWT_SECRET: secret, SEED_ON_START: false })
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, SEED_ON_START: 'true' }).SEED_ON_START).toBe(true)
  })
})
