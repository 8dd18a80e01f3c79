// The typed errors mutations return: every one has a code, a message and the field at fault.
import { builder } from '../builder.js'
import {
  AddressRefusedError,
  ConflictError,
  type DomainError,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
  type Issue,
} from '../resolvers/errors.js'
import { EventStatusEnum } from './enums.js'

export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description: 'An expected failure of a mutation; nothing was written.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Stable, for clients to branch on.' }),
    message: t.exposeString('message'),
    field: t.exposeString('field', { nullable: true, description: 'The input field at fault, as a dotted path.' }),
  }),
})

const IssueRef = builder.objectRef<Issue>('ValidationIssue').implement({
  fields: (t) => ({
    field: t.exposeString('field', { description: 'Dotted path of the input field, e.g. "input.sections.3.heading".' }),
    message: t.exposeString('message'),
  }),
})

builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ issues: t.field({ type: [IssueRef], resolve: (e) => e.issues }) }),
})
builder.objectType(NotFoundError, { name: 'NotFound', interfaces: [ErrorInterface] })
builder.objectType(ForbiddenError, { name: 'Forbidden', interfaces: [ErrorInterface] })
builder.objectType(ConflictError, {
  name: 'Conflict',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    currentVersion: t.exposeInt('currentVersion', {
      nullable: true,
      description: 'The version now stored; re-read and retry.',
    }),
  }),
})
builder.objectType(InvalidTransitionError, {
  name: 'InvalidTransition',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    from: t.field({ type: EventStatusEnum, resolve: (e) => e.from as never }),
    to: t.field({ type: EventStatusEnum, resolve: (e) => e.to as never }),
    allowed: t.field({
      type: [EventStatusEnum],
      resolve: (e) => e.allowed as never,
      description: 'Where it may go from here.',
    }),
  }),
})
builder.objectType(AddressRefusedError, {
  name: 'AddressRefused',
  interfaces: [ErrorInterface],
  description:
    'A URL reaches an address outbound requests may not (in production: not a public one, and not in OUTBOUND_ALLOW).',
})
