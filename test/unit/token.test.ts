// Editors' tokens: what is accepted, and every way a token is refused.
import { SignJWT, UnsecuredJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import {
  authorizationIn,
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  mintToken,
  TokenError,
  verifyToken,
  viewerFromHeader,
} from '../../src/auth/token.js'

const settings = { JWT_SECRET: 'a-test-secret-that-is-long-enough-for-hs256', JWT_ISSUER: 'news-graph' }
const key = new TextEncoder().encode(settings.JWT_SECRET)

function sign(claims: Record<string, unknown>, build: (jwt: SignJWT) => SignJWT = (j) => j) {
  return build(new SignJWT(claims).setProtectedHeader({ alg: 'HS256' })).sign(key)
}
const standard = (j: SignJWT) =>
  j.setSubject('desk').setIssuer('news-graph').setAudience('news-graph').setExpirationTime('1h')

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
    expect(
      await refusal(`Bearer ${await sign({ role: 'editor' }, (j) => standard(j).setIssuer('someone-else'))}`),
    ).toBe('invalid')
    expect(
      await refusal(
        `Bearer ${await sign({ role: 'editor' }, (j) => j.setSubject('desk').setIssuer('news-graph').setAudience('news-graph'))}`,
      ),
    ).toBe('invalid')
    expect(
      await refusal(
        `Bearer ${await sign({ role: 'editor' }, (j) => standard(j).setExpirationTime(Math.floor(Date.now() / 1000) - 5))}`,
      ),
    ).toBe('expired')
    const other = await mintToken(
      { ...settings, JWT_SECRET: 'another-secret-that-is-also-long-enough' },
      { sub: 'mallory', role: 'editor' },
    )
    expect(await refusal(`Bearer ${other}`)).toBe('invalid')
    const unsigned = new UnsecuredJWT({ role: 'admin' })
      .setSubject('mallory')
      .setIssuer('news-graph')
      .setAudience('news-graph')
      .setExpirationTime('1h')
      .encode()
    expect(await refusal(`Bearer ${unsigned}`)).toBe('invalid')
  })
})

describe('what a token must be', () => {
  const now = () => Math.floor(Date.now() / 1000)
  const issued =
    (iat: number, exp: number, sub: string | null = 'desk') =>
    (j: SignJWT) => {
      const jwt = j.setIssuer('news-graph').setAudience('news-graph').setIssuedAt(iat).setExpirationTime(exp)
      return sub === null ? jwt : jwt.setSubject(sub)
    }

  it('takes the scheme in any case (RFC 6750), and nothing but a token after it', async () => {
    const token = await mintToken(settings, { sub: 'desk', role: 'editor' })
    for (const scheme of ['bearer', 'BEARER', 'BeArEr'])
      expect(await viewerFromHeader(settings, `${scheme} ${token}`)).toEqual({ sub: 'desk', role: 'editor' })
    expect(await refusal(`Bearer  ${token}`)).toBe('accepted')
    expect(await refusal(`Bearer ${token} extra`)).toBe('malformed')
    expect(await refusal(`Bearertoken${token}`)).toBe('malformed')
  })

  it('refuses an empty or blank header rather than reading it as no token', async () => {
    expect(await refusal('')).toBe('malformed')
    expect(await refusal('   ')).toBe('malformed')
    expect(await viewerFromHeader(settings, undefined)).toBeNull()
  })

  it('wants an iat, a lifetime of at most JWT_MAX_LIFETIME_SECONDS (12 h by default), and no iat in the future', async () => {
    expect(DEFAULT_MAX_TOKEN_LIFETIME_SECONDS).toBe(43_200)
    const t = now()
    expect(await refusal(`Bearer ${await sign({ role: 'editor' }, standard)}`)).toBe('invalid') // no iat
    expect(await refusal(`Bearer ${await sign({ role: 'editor' }, issued(t, t + 43_200))}`)).toBe('accepted')
    expect(await refusal(`Bearer ${await sign({ role: 'editor' }, issued(t, t + 43_201))}`)).toBe('invalid')
    expect(await refusal(`Bearer ${await sign({ role: 'editor' }, issued(t - 40_000, t + 3_201))}`)).toBe('invalid')
    // an iat in the future would stretch the lifetime from now; a minute of clock skew is let by
    expect(await refusal(`Bearer ${await sign({ role: 'editor' }, issued(t + 3_600, t + 7_200))}`)).toBe('invalid')
    expect(await refusal(`Bearer ${await sign({ role: 'editor' }, issued(t + 30, t + 3_600))}`)).toBe('accepted')
    const short = { ...settings, JWT_MAX_LIFETIME_SECONDS: 60 }
    await expect(
      viewerFromHeader(short, `Bearer ${await mintToken(settings, { sub: 'desk', role: 'editor' }, '61s')}`),
    ).rejects.toThrow(/lives longer than the 60 s allowed/)
    expect(
      await viewerFromHeader(short, `Bearer ${await mintToken(settings, { sub: 'desk', role: 'editor' }, '60s')}`),
    ).toEqual({ sub: 'desk', role: 'editor' })
  })

  it('wants a subject that is not empty', async () => {
    const t = now()
    expect(await refusal(`Bearer ${await sign({ role: 'editor' }, issued(t, t + 60, ''))}`)).toBe('invalid')
    expect(await refusal(`Bearer ${await sign({ role: 'editor' }, issued(t, t + 60, '  '))}`)).toBe('invalid')
    expect(await refusal(`Bearer ${await sign({ role: 'editor' }, issued(t, t + 60, null))}`)).toBe('invalid')
    expect(await refusal(`Bearer ${await sign({ role: 'editor', sub: 7 }, issued(t, t + 60, null))}`)).toBe('invalid')
  })

  it('says when a token expires', async () => {
    const t = now()
    const verified = await verifyToken(settings, `Bearer ${await sign({ role: 'admin' }, issued(t, t + 90))}`)
    expect(verified).toEqual({ viewer: { sub: 'desk', role: 'admin' }, expiresAt: (t + 90) * 1000 })
    expect(await verifyToken(settings, null)).toBeNull()
  })
})

describe('the Authorization among parameters (connection_init, GraphiQL headers)', () => {
  it('is found under any case, and is absent when unset or null', () => {
    expect(authorizationIn({ authorization: 'Bearer a' })).toBe('Bearer a')
    expect(authorizationIn({ Authorization: 'Bearer a' })).toBe('Bearer a')
    expect(authorizationIn({ AUTHORIZATION: 'Bearer a', other: 1 })).toBe('Bearer a')
    expect(authorizationIn({ authorization: null, Authorization: 'Bearer a' })).toBe('Bearer a')
    expect(authorizationIn({})).toBeUndefined()
    expect(authorizationIn({ authorization: null })).toBeUndefined()
    expect(authorizationIn(undefined)).toBeUndefined()
    expect(authorizationIn('Bearer a')).toBeUndefined()
  })

  it('is refused when given twice, or not as text', () => {
    expect(() => authorizationIn({ authorization: 'Bearer a', Authorization: 'Bearer b' })).toThrow(TokenError)
    expect(() => authorizationIn({ authorization: 'Bearer a', Authorization: 'Bearer a' })).toThrow(/more than once/)
    expect(() => authorizationIn({ Authorization: 42 })).toThrow(TokenError)
    expect(() => authorizationIn({ Authorization: { token: 'x' } })).toThrow(TokenError)
  })
})
