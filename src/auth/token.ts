// Editors' bearer tokens: HS256 JWTs with a subject and a role. No token means a public reader; a
// token that is present but not valid is refused wherever it comes, never taken as no token.
import { errors, jwtVerify, SignJWT } from 'jose'
import { ROLES, type Role } from './roles.js'

export interface Viewer {
  sub: string
  role: Role
}

export interface TokenSettings {
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
  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload']
  try {
    ;({ payload } = await jwtVerify(match[1], key(settings.JWT_SECRET), {
      algorithms: ['HS256'],
      issuer: settings.JWT_ISSUER,
      audience: settings.JWT_ISSUER,
      requiredClaims: ['sub', 'exp'],
    }))
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new TokenError('The token has expired.', 'expired')
    throw new TokenError('The token is not valid.', 'invalid')
  }
  const { sub, role, exp, iat } = payload as { sub?: unknown; role?: unknown; exp: number; iat?: number }
  if (iat === undefined) throw new TokenError('The token has no iat (issued at).', 'invalid')
  if (typeof sub !== 'string' || sub.trim() === '') throw new TokenError('The token names no subject.', 'invalid')
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
    throw new TokenError('The token names no known role.', 'invalid')
  // a lifetime is only bounded if it cannot start in the future
  const maxLifetime = settings.JWT_MAX_LIFETIME_SECONDS ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS
  if (iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS)
    throw new TokenError('The token was issued in the future.', 'invalid')
  if (exp - iat > maxLifetime)
    throw new TokenError(`The token lives longer than the ${maxLifetime} s allowed; mint a shorter one.`, 'invalid')
  return { viewer: { sub, role: role as Role }, expiresAt: exp * 1000 }
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
