// Editors' bearer tokens: JWTs with a subject and a role, either HS256 signed with JWT_SECRET
// (development, tests, scripts) or from the identity provider (OIDC, src/auth/oidc.ts), told apart
// by the `alg` of their header. No token means a public reader; a token that is present but not
// valid is refused wherever it comes, never taken as no token.
import { decodeProtectedHeader, errors, jwtVerify, SignJWT, type JWTPayload } from 'jose'
import { DEFAULT_OIDC_ALGORITHMS, oidcConfigured, OidcRefusal, verifyOidcToken, type OidcSettings } from './oidc.js'
import { ROLES, type Role } from './roles.js'

export interface Viewer {
  sub: string
  role: Role
}

export interface TokenSettings extends OidcSettings {
  /** the HS256 key; empty: HS256 tokens are refused (production with OIDC and no JWT_SECRET) */
  JWT_SECRET: string
  JWT_ISSUER: string
  /** the longest a token may live (exp − iat); DEFAULT_MAX_TOKEN_LIFETIME_SECONDS when not given */
  JWT_MAX_LIFETIME_SECONDS?: number
}

/** 12 h: a stolen token is worth half a day at most. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600

/** How far ahead of our clock a token's `iat` may be (another machine's clock). */
const CLOCK_SKEW_SECONDS = 60

/** Why a presented token was refused; the client gets the code, never the library's text. */
export class TokenError extends Error {
  constructor(
    message: string,
    readonly reason: 'malformed' | 'expired' | 'invalid',
  ) {
    super(message)
    this.name = 'TokenError'
  }
}

export interface VerifiedToken {
  viewer: Viewer
  /** when the token expires, in ms since the epoch */
  expiresAt: number
}

const key = (secret: string) => new TextEncoder().encode(secret)

export async function mintToken(
  settings: Pick<TokenSettings, 'JWT_SECRET' | 'JWT_ISSUER'>,
  viewer: Viewer,
  expiresIn = '12h',
): Promise<string> {
  return new SignJWT({ role: viewer.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(viewer.sub)
    .setIssuer(settings.JWT_ISSUER)
    .setAudience(settings.JWT_ISSUER)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key(settings.JWT_SECRET))
}

/** The viewer an `Authorization` header names: null without one, TokenError for a bad one. */
export async function viewerFromHeader(
  settings: TokenSettings,
  header: string | null | undefined,
): Promise<Viewer | null> {
  return (await verifyToken(settings, header))?.viewer ?? null
}

/** The token an `Authorization` header carries, verified: null without a header (undefined or
 *  null), TokenError for anything else that is not a valid token (an empty header included). */
export async function verifyToken(
  settings: TokenSettings,
  header: string | null | undefined,
): Promise<VerifiedToken | null> {
  if (header == null) return null
  // RFC 6750: the scheme is case-insensitive
  const match = /^Bearer +([A-Za-z0-9_.-]+)$/i.exec(header.trim())
  if (!match) throw new TokenError('The Authorization header must be "Bearer <token>".', 'malformed')
  const token = match[1]
  let alg: unknown
  try {
    ;({ alg } = decodeProtectedHeader(token))
  } catch {
    throw new TokenError('The token is not valid.', 'invalid')
  }
  let payload: JWTPayload
  let role: unknown
  if (alg === 'HS256' && settings.JWT_SECRET) {
    payload = await verifySigned(settings, token)
    role = payload.role
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
      throw new TokenError('The token names no known role.', 'invalid')
  } else if (
    typeof alg === 'string' &&
    oidcConfigured(settings) &&
    (settings.AUTH_ALGORITHMS ?? DEFAULT_OIDC_ALGORITHMS).includes(alg)
  ) {
    try {
      ;({ payload, role } = await verifyOidcToken(settings, token))
    } catch (error) {
      if (error instanceof OidcRefusal) throw new TokenError(error.message, error.reason)
      throw error
    }
  } else {
    throw new TokenError('The token is signed with an algorithm not accepted here.', 'invalid')
  }
  return checked(settings, payload, role as Role)
}

/** An HS256 token signed with JWT_SECRET, for our own issuer. */
async function verifySigned(settings: TokenSettings, token: string): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, key(settings.JWT_SECRET), {
      algorithms: ['HS256'],
      issuer: settings.JWT_ISSUER,
      audience: settings.JWT_ISSUER,
      requiredClaims: ['sub', 'exp'],
    })
    return payload
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new TokenError('The token has expired.', 'expired')
    throw new TokenError('The token is not valid.', 'invalid')
  }
}

/** What every token must be, whoever signed it: issued (iat) not in the future, a subject, a bounded lifetime. */
function checked(settings: TokenSettings, payload: JWTPayload, role: Role): VerifiedToken {
  const { sub, exp, iat } = payload as { sub?: unknown; exp: number; iat?: number }
  if (iat === undefined) throw new TokenError('The token has no iat (issued at).', 'invalid')
  if (typeof sub !== 'string' || sub.trim() === '') throw new TokenError('The token names no subject.', 'invalid')
  // a lifetime is only bounded if it cannot start in the future
  const maxLifetime = settings.JWT_MAX_LIFETIME_SECONDS ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS
  if (iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS)
    throw new TokenError('The token was issued in the future.', 'invalid')
  if (exp - iat > maxLifetime)
    throw new TokenError(`The token lives longer than the ${maxLifetime} s allowed; mint a shorter one.`, 'invalid')
  return { viewer: { sub, role }, expiresAt: exp * 1000 }
}

/**
 * The Authorization value among a client's parameters (a socket's connection_init payload, the
 * headers GraphiQL sends with an operation), under whatever case of the name: undefined without
 * one; TokenError when it is not a string or is given twice under different cases.
 */
export function authorizationIn(params: unknown): string | undefined {
  if (params == null || typeof params !== 'object') return undefined
  const values = Object.entries(params)
    .filter(([name, value]) => name.toLowerCase() === 'authorization' && value != null)
    .map(([, value]) => value as unknown)
  if (values.length === 0) return undefined
  if (values.length > 1) throw new TokenError('Authorization is given more than once.', 'malformed')
  if (typeof values[0] !== 'string')
    throw new TokenError('The Authorization header must be "Bearer <token>".', 'malformed')
  return values[0]
}
