// Times PostgreSQL can hold. RFC 3339 allows year 0000, which PostgreSQL has no room for (there is
// no year 0): the DateTime scalar (src/builder.ts) and the time cursors refuse what is outside.
export const storableTime = (at: Date) =>
  !Number.isNaN(at.getTime()) && at.getUTCFullYear() >= 1 && at.getUTCFullYear() <= 9999

export const STORABLE_YEARS = 'must lie in the years 1 to 9999'
