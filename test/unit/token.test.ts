// Editors' tokens: what is accepted, and every way a token is refused.
import { SignJWT, UnsecuredJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { mintToken, TokenError, viewerFromHeader } from '../../src/auth/token.js'

const settings = { JWT_SECRET: 'a-test-secret-that-is-long-enough-for-hs256', JWT_ISSUER: 'news-graph' }
const key = new TextEncoder().encode(settings.JWT_SECRET)

function sign(claims: Record<string, unknown>, build: (jwt: SignJWT) => SignJWT = (j) => j) {
  return build(new SignJWT(claims).setProtectedHeader({ alg: 'HS256' })).sign(key)
}
const standard = (j: SignJWT) => j.setSubject('desk').setIssuer('news-graph').setAudience('news-graph').setExpirationTime('1h')

async function refusal(header: string): Promise<string> {
  try {
    await viewerFromHeader(settings, header)
  } catch (error) {
    if (error instanceof TokenError) return error.reason
    throw error
  }
  return 'accepted'
}

describe('bearer tokens', () => {
  it('no header is the public; a minted token names its editor', async () => {
    expect(await viewerFromHeader(settings, null)).toBeNull()
    const token = await mintToken(settings, { sub: 'desk-editor', role: 'admin' })
    expect(await viewerFromHeader(settings, `Bearer ${token}`)).toEqual({ sub: 'desk-editor', role: 'admin' })
  })

  it('refuses every malformed, forged, expired or unfit token', async () => {
    expect(await refusal('Basic dXNlcjpwYXNz')).toBe('malformed')
    expect(await refusal('Bearer')).toBe('malformed')
    expect(await refusal('Bearer not a token')).toBe('malformed')
    expect(await refusal(`Bearer ${await sign({ role: 'reader' }, standard)}`)).toBe('invalid')
    expect(await refusal(`Bearer ${await sign({}, standard)}`)).toBe('invalid')
    expect(await refusal(`Bearer ${await sign({ role: 'editor' }, (j) => standard(j).setIssuer('someone-else'))}`)).toBe('invalid')
    expect(await refusal(`Bearer ${await sign({ role: 'editor' }, (j) => j.setSubject('desk').setIssuer('news-graph').setAudience('news-graph'))}`)).toBe('invalid')
    expect(await refusal(`Bearer ${await sign({ role: 'editor' }, (j) => standard(j).setExpirationTime(Math.floor(Date.now() / 1000) - 5))}`)).toBe('expired')
    const other = await mintToken({ ...settings, JWT_SECRET: 'another-secret-that-is-also-long-enough' }, { sub: 'mallory', role: 'editor' })
    expect(await refusal(`Bearer ${other}`)).toBe('invalid')
    const unsigned = new UnsecuredJWT({ role: 'admin' }).setSubject('mallory').setIssuer('news-graph').setAudience('news-graph').setExpirationTime('1h').encode()
    expect(await refusal(`Bearer ${unsigned}`)).toBe('invalid')
  })
})
