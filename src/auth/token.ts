// Editors' bearer tokens: HS256 JWTs with a subject and a role. No token means a public reader.
import { errors, jwtVerify, SignJWT } from 'jose'

export const ROLES = ['editor', 'admin'] as const
export type Role = (typeof ROLES)[number]

export interface Viewer {
  sub: string
  role: Role
}

export interface TokenSettings {
  JWT_SECRET: string
  JWT_ISSUER: string
}

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

const key = (secret: string) => new TextEncoder().encode(secret)

export async function mintToken(settings: TokenSettings, viewer: Viewer, expiresIn = '12h'): Promise<string> {
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
export async function viewerFromHeader(settings: TokenSettings, header: string | null): Promise<Viewer | null> {
  if (!header) return null
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header.trim())
  if (!match) throw new TokenError('The Authorization header must be "Bearer <token>".', 'malformed')
  try {
    const { payload } = await jwtVerify(match[1], key(settings.JWT_SECRET), {
      algorithms: ['HS256'],
      issuer: settings.JWT_ISSUER,
      audience: settings.JWT_ISSUER,
      requiredClaims: ['sub', 'exp'],
    })
    const role = payload.role
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
      throw new TokenError('The token names no known role.', 'invalid')
    }
    return { sub: payload.sub!, role: role as Role }
  } catch (error) {
    if (error instanceof TokenError) throw error
    if (error instanceof errors.JWTExpired) throw new TokenError('The token has expired.', 'expired')
    throw new TokenError('The token is not valid.', 'invalid')
  }
}
