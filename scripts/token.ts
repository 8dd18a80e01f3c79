// npm run token -- --role editor --sub desk-editor [--expires 12h]
// Mints a bearer token signed with this machine's JWT_SECRET (the development key when unset).
import { parseArgs } from 'node:util'
import { ROLES, type Role } from '../src/auth/roles.js'
import { TokenError, mintToken, verifyToken } from '../src/auth/token.js'
import { loadConfig } from '../src/config.js'

const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'editor' },
    sub: { type: 'string', default: 'desk-editor' },
    expires: { type: 'string', default: '12h' },
  },
})
if (!(ROLES as readonly string[]).includes(values.role)) {
  console.error(`--role must be one of: ${ROLES.join(', ')}`)
  process.exit(2)
}
const config = loadConfig()
const token = await mintToken(config, { sub: values.sub, role: values.role as Role }, values.expires)
// the server's own rules (a lifetime over JWT_MAX_LIFETIME_SECONDS, an empty --sub): say so now
try {
  await verifyToken(config, `Bearer ${token}`)
} catch (error) {
  if (!(error instanceof TokenError)) throw error
  console.error(`the server would refuse this token: ${error.message}`)
  process.exit(2)
}
console.log(token)
