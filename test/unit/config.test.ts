import { describe, expect, it } from 'vitest'
import { DEVELOPMENT_JWT_SECRET, loadConfig, SETTINGS } from '../../src/config.js'
import { docFile } from '../helpers/docs.js'

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
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret })).toMatchObject({
      JWT_SECRET: secret,
      SEED_ON_START: false,
    })
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, SEED_ON_START: 'true' }).SEED_ON_START).toBe(true)
  })

  it('never takes the development key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: DEVELOPMENT_JWT_SECRET })).toThrow(
      /JWT_SECRET must not be the development key in production/,
    )
  })

  it('listens on 127.0.0.1 outside production, on every interface in production, unless HOST says otherwise', () => {
    expect(loadConfig({}).HOST).toBe('127.0.0.1')
    expect(loadConfig({ NODE_ENV: 'test' }).HOST).toBe('127.0.0.1')
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }).HOST).toBe('0.0.0.0')
    expect(loadConfig({ HOST: '::1' }).HOST).toBe('::1')
  })

  it('refuses the development key on an address other machines can reach, and says to set JWT_SECRET', () => {
    for (const HOST of ['0.0.0.0', '::', '192.168.1.20', '10.0.0.1', 'fe80::1', 'news.example.org']) {
      expect(() => loadConfig({ HOST }), HOST).toThrow(/HOST .* reachable from other machines.*set JWT_SECRET/)
      expect(() => loadConfig({ HOST, JWT_SECRET: DEVELOPMENT_JWT_SECRET }), HOST).toThrow(/set JWT_SECRET/)
      expect(loadConfig({ HOST, JWT_SECRET: 'y'.repeat(40) }).HOST).toBe(HOST)
    }
    for (const HOST of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect(loadConfig({ HOST }).JWT_SECRET).toBe(DEVELOPMENT_JWT_SECRET)
  })

  it('has the limits of connections and tokens', () => {
    expect(loadConfig({})).toMatchObject({
      CONNECTION_LIMIT_PUBLIC: 100,
      CONNECTION_LIMIT_EDITOR: 1000,
      SOCKET_IDLE_TIMEOUT_MS: 60_000,
      JWT_MAX_LIFETIME_SECONDS: 43_200,
    })
    expect(() => loadConfig({ CONNECTION_LIMIT_PUBLIC: '0' })).toThrow(/CONNECTION_LIMIT_PUBLIC/)
    expect(() => loadConfig({ JWT_MAX_LIFETIME_SECONDS: String(15 * 86_400) })).toThrow(/JWT_MAX_LIFETIME_SECONDS/)
  })

  it("is what the README's configuration table lists, setting by setting", () => {
    const readme = docFile('docs/configuration.md')
    const section = readme.slice(readme.indexOf('\n## Configuration\n'), readme.indexOf('\n## Commands\n'))
    const listed = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1])
    expect(listed.toSorted()).toEqual(SETTINGS.toSorted())
  })
})
