// The builder's schema types, for helpers that are handed a field builder (`t`).
import type { builder } from '../builder.js'

export type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never
