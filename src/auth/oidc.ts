// Editors' tokens from the newsroom's identity provider (OIDC): JWT access tokens signed with the
// provider's keys (RS256, ES256, …), found through AUTH_JWKS_URL or the issuer's discovery
// document, fetched with a bounded timeout, cached and refetched when an unknown key id appears
// (jose's createRemoteJWKSet, its cooldown and cache age). src/auth/token.ts sends a token here by
// the `alg` of its header; the checks every token passes (iat, sub, lifetime) stay there.
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose'
import { ROLES, type Role } from './roles.js'

/** The identity provider's settings (src/config.ts, docs/configuration.md). */
export interface OidcSettings {
  /** the `iss` tokens must carry; its discovery document names the key set unless AUTH_JWKS_URL does */
  AUTH_ISSUER?: string
  /** the provider's key set (JWKS); found by discovery from AUTH_ISSUER when unset */
  AUTH_JWKS_URL?: string
  /** the `aud` tokens must carry: this API as a resource server; required with OIDC */
  AUTH_AUDIENCE?: string
  /** the asymmetric algorithms accepted from the provider (never HS* or none) */
  AUTH_ALGORITHMS?: readonly string[]
  /** where the provider puts a user's groups or roles: a claim name or a dotted path */
  AUTH_ROLE_CLAIM?: string
  /** provider group or role → our role; empty: the claim's own `editor` and `admin` */
  AUTH_ROLE_MAP?: ReadonlyMap<string, Role>
  /** the longest a fetch of the discovery document or the key set may take */
  AUTH_FETCH_TIMEOUT_MS?: number
}

/** What OIDC may use: asymmetric signatures only; an HMAC secret would be shared with the provider. */
export const OIDC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
]
export const DEFAULT_OIDC_ALGORITHMS = ['RS256', 'ES256']
export const DEFAULT_ROLE_CLAIM = 'roles'
export const DEFAULT_FETCH_TIMEOUT_MS = 5000

/** After a failed discovery, how long before it is tried again (jose's cooldown for key sets). */
const DISCOVERY_RETRY_MS = 30_000

/** Why an OIDC token was refused; token.ts turns it into its TokenError. */
export class OidcRefusal extends Error {
  constructor(
    message: string,
    readonly reason: 'expired' | 'invalid',
  ) {
    super(message)
  }
}

/** The provider's keys could not be had (down, slow, or answering nonsense): the server's
 *  trouble, not the client's, so never a 401. */
export class KeysUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'KeysUnavailableError'
  }
}

export const oidcConfigured = (settings: OidcSettings): boolean =>
  Boolean(settings.AUTH_ISSUER || settings.AUTH_JWKS_URL)

/** Whether a URL may carry keys: https, or http to this machine only (tests, a local provider). */
export function isKeyUrl(text: string): boolean {
  try {
    const url = new URL(text)
    if (url.protocol === 'https:') return true
    const host = url.hostname.replace(/^\[|\]$/g, '')
    return url.protocol === 'http:' && (host === 'localhost' || host === '::1' || /^127\./.test(host))
  } catch {
    return false
  }
}

type KeySet = ReturnType<typeof createRemoteJWKSet>
interface KeyState {
  keys?: Promise<KeySet>
  failedAt?: number
}
/** One key set per settings object (one per app): its cache lives as long as the app. */
const keyStates = new WeakMap<OidcSettings, KeyState>()

function keySet(settings: OidcSettings): Promise<KeySet> {
  let state = keyStates.get(settings)
  if (!state) keyStates.set(settings, (state = {}))
  if (state.failedAt !== undefined && Date.now() - state.failedAt < DISCOVERY_RETRY_MS && !state.keys)
    return Promise.reject(new KeysUnavailableError('The identity provider’s discovery document is unavailable.'))
  if (state.keys) return state.keys
  const current = state
  current.keys = jwksUrl(settings).then(
    (url) => createRemoteJWKSet(url, { timeoutDuration: settings.AUTH_FETCH_TIMEOUT_MS ?? DEFAULT_FETCH_TIMEOUT_MS }),
    (error: unknown) => {
      current.keys = undefined
      current.failedAt = Date.now()
      throw error instanceof KeysUnavailableError
        ? error
        : new KeysUnavailableError('The identity provider’s discovery document is unavailable.', { cause: error })
    },
  )
  return current.keys
}

/** AUTH_JWKS_URL, or the jwks_uri of the issuer's discovery document (whose issuer must be ours). */
async function jwksUrl({ AUTH_JWKS_URL, AUTH_ISSUER, AUTH_FETCH_TIMEOUT_MS }: OidcSettings): Promise<URL> {
  if (AUTH_JWKS_URL) return new URL(AUTH_JWKS_URL)
  const issuer = AUTH_ISSUER!
  const response = await fetch(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, {
    headers: { accept: 'application/json' },
    redirect: 'error',
    signal: AbortSignal.timeout(AUTH_FETCH_TIMEOUT_MS ?? DEFAULT_FETCH_TIMEOUT_MS),
  })
  if (!response.ok) throw new KeysUnavailableError(`The discovery document answered ${response.status}.`)
  const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown }
  // OpenID Connect Discovery 1.0 §4.3: the document must name the issuer it was fetched for
  if (document.issuer !== issuer) throw new KeysUnavailableError('The discovery document names another issuer.')
  if (typeof document.jwks_uri !== 'string' || !isKeyUrl(document.jwks_uri))
    throw new KeysUnavailableError('The discovery document names no usable jwks_uri.')
  return new URL(document.jwks_uri)
}

/** The verified payload of a token from the identity provider, and the role its groups map to. */
export async function verifyOidcToken(
  settings: OidcSettings,
  token: string,
): Promise<{ payload: JWTPayload; role: Role }> {
  const keys = await keySet(settings)
  let payload: JWTPayload
  try {
    ;({ payload } = await jwtVerify(token, keys, {
      algorithms: [...(settings.AUTH_ALGORITHMS ?? DEFAULT_OIDC_ALGORITHMS)],
      issuer: settings.AUTH_ISSUER,
      audience: settings.AUTH_AUDIENCE,
      requiredClaims: ['sub', 'exp', 'iat'],
    }))
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new OidcRefusal('The token has expired.', 'expired')
    if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError) || isFetchTrouble(error))
      throw new KeysUnavailableError('The identity provider’s keys are unavailable.', { cause: error })
    throw new OidcRefusal('The token is not valid.', 'invalid')
  }
  const role = roleOf(settings, payload)
  // a valid sign-in that grants nothing here is refused, not read as the public: the client meant
  // to act as an editor and should be told it cannot, rather than be answered as someone else
  if (!role) throw new OidcRefusal('The token’s groups grant no editor or admin role here.', 'invalid')
  return { payload, role }
}

/** jose's own error for a key set that answered other than 200 with JSON keys. */
const isFetchTrouble = (error: errors.JOSEError) =>
  error.code === 'ERR_JOSE_GENERIC' || error instanceof errors.JWKSInvalid

/** The highest of our roles that the token's groups (a string or an array of strings) map to. */
export function roleOf(settings: OidcSettings, payload: JWTPayload): Role | null {
  let value: unknown = payload
  for (const part of (settings.AUTH_ROLE_CLAIM ?? DEFAULT_ROLE_CLAIM).split('.')) {
    value =
      value !== null && typeof value === 'object' && Object.hasOwn(value, part)
        ? (value as Record<string, unknown>)[part]
        : undefined
  }
  const groups = typeof value === 'string' ? [value] : Array.isArray(value) ? value : []
  const map = settings.AUTH_ROLE_MAP
  const roles = new Set<Role>()
  for (const group of groups) {
    if (typeof group !== 'string') continue
    const role = map && map.size > 0 ? map.get(group) : (ROLES as readonly string[]).includes(group) && group
    if (role) roles.add(role as Role)
  }
  return roles.has('admin') ? 'admin' : roles.has('editor') ? 'editor' : null
}

/** AUTH_ROLE_MAP's text (`group=role,…`) as a map; throws naming the pair at fault. */
export function parseRoleMap(text: string): Map<string, Role> {
  const map = new Map<string, Role>()
  for (const pair of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = pair.lastIndexOf('=')
    const group = pair.slice(0, at).trim()
    const role = pair.slice(at + 1).trim()
    if (at <= 0 || !group || !(ROLES as readonly string[]).includes(role))
      throw new Error(`"${pair}" is not group=role with role ${ROLES.join(' or ')}`)
    map.set(group, role as Role)
  }
  return map
}
