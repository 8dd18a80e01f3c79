// The roles a token may carry, and what each may do. This is the one place a role is compared:
// the schema's authScopes (src/builder.ts) and the story visibility rules (src/resolvers/visibility.ts)
// ask here, so a new role changes one file.
export const ROLES = ['editor', 'admin'] as const
export type Role = (typeof ROLES)[number]

/** Whoever holds a role (a verified token's viewer); null or undefined for the public. */
type Holder = { role: Role } | null | undefined

/** Editors and admins: they write the news graph and read every story, drafts included. */
export const mayEdit = (viewer: Holder): boolean => viewer?.role === 'editor' || viewer?.role === 'admin'

/** Admins only. */
export const isAdmin = (viewer: Holder): boolean => viewer?.role === 'admin'
