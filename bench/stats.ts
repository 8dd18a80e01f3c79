// Small statistics for the bench: exact percentiles of what was measured (no sampling), medians
// across rounds, ratios.

/** The p-th percentile (0–100) of values, nearest rank; NaN for none. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return NaN
  const sorted = Float64Array.from(values).sort()
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]
}

export function percentiles(values: ArrayLike<number>, ps: number[]): Record<string, number> {
  if (values.length === 0) return Object.fromEntries(ps.map((p) => [`p${p}`, NaN]))
  const sorted = Float64Array.from(values).sort()
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
  return Object.fromEntries(ps.map((p) => [`p${String(p).replace('.', '_')}`, at(p)]))
}

export function median(values: number[]): number {
  const finite = values.filter(Number.isFinite)
  if (finite.length === 0) return NaN
  const sorted = [...finite].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN)

/** Rounded for reports: 3 significant digits, whole numbers from 1000 up. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value
  if (Math.abs(value) >= 1000) return Math.round(value)
  return Number(value.toPrecision(3))
}
