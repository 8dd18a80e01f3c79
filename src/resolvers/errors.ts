// Expected failures of writes. The schema returns each as a typed result (src/schema/errors.ts)
// with a code a client can branch on and, where one is at fault, the input field.

/** The base of every expected failure; thrown as is only by the subclasses below. */

export class DomainError extends Error {
  readonly code: string = 'ERROR'
  constructor(
    message: string,
    readonly field: string | null = null,
  ) {
    super(message)
    this.name = new.target.name
  }
}

export interface Issue {
  field: string
  message: string
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED'
  constructor(readonly issues: Issue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues[0]?.field ?? null)
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND'
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN'
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT'
  constructor(
    message: string,
    readonly currentVersion: number | null = null,
    field: string | null = 'version',
  ) {
    super(message, field)
  }
}

export class InvalidTransitionError extends DomainError {
  readonly code = 'INVALID_TRANSITION'
  constructor(
    message: string,
    readonly from: string,
    readonly to: string,
    readonly allowed: string[],
  ) {
    super(message, 'to')
  }
}

/** Every expected failure a mutation may return. */
export const DOMAIN_ERRORS = [ValidationError, NotFoundError, ForbiddenError, ConflictError, InvalidTransitionError]

/** A webhook's URL reaches an address the outbound policy refuses (src/outbound/request.ts). */
export class AddressRefusedError extends DomainError {
  readonly code = 'OUTBOUND_ADDRESS_REFUSED'
}
