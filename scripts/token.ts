// npm run token -- --role editor --sub desk-editor [--expires 12h]
// Mints a bearer token signed with this machine's JWT_SECRET (the development key when unset).
import { parseArgs } from 'node:util'
import { ROLES, mintToken, type Role } from '../src/auth/token.js'
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
console.log(await mintToken(loadConfig(), { sub: values.sub, role: values.role as Role }, values.expires))
