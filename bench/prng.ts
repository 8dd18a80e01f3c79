// A small seeded pseudo-random generator (sfc32, seeded through splitmix32), so the bench's data
// is the same on every machine and every run: same seed, same stories, same ids.

export class Random {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    let s = seed >>> 0
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
    for (let i = 0; i < 12; i++) this.uint32()
  }

  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0
    this.d = (this.d + 1) >>> 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) >>> 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) >>> 0
    return t
  }

  /** [0, 1) */
  float(): number {
    return this.uint32() / 4294967296
  }

  /** an integer in [min, max] */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1))
  }

  chance(p: number): boolean {
    return this.float() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)]
  }

  /** `k` distinct items (fewer if there are fewer) */
  sample<T>(items: readonly T[], k: number): T[] {
    if (k >= items.length) return [...items]
    const chosen = new Set<number>()
    while (chosen.size < k) chosen.add(Math.floor(this.float() * items.length))
    return [...chosen].map((i) => items[i])
  }

  /** Skewed towards the start of the list: a few items are common, most are rare (as words are). */
  skewed<T>(items: readonly T[], power = 2): T {
    return items[Math.floor(Math.pow(this.float(), power) * items.length)]
  }

  /** A version-4-shaped UUID from this generator (not from the system's randomness). */
  uuid(): string {
    const h = (n: number) => n.toString(16).padStart(8, '0')
    const x = h(this.uint32()) + h(this.uint32()) + h(this.uint32()) + h(this.uint32())
    const variant = ((parseInt(x[16], 16) & 0x3) | 0x8).toString(16)
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-4${x.slice(13, 16)}-${variant}${x.slice(17, 20)}-${x.slice(20, 32)}`
  }
}

/** Ranks 0 … n−1 drawn with Zipf's law: rank k (from 1) with probability ∝ 1 / k^s. */
export class Zipf {
  private readonly cdf: Float64Array
  constructor(n: number, s: number) {
    this.cdf = new Float64Array(n)
    let sum = 0
    for (let k = 0; k < n; k++) this.cdf[k] = sum += 1 / Math.pow(k + 1, s)
    for (let k = 0; k < n; k++) this.cdf[k] /= sum
  }

  /** the first rank whose cumulative probability reaches a uniform draw */
  draw(random: Random): number {
    const u = random.float()
    let lo = 0
    let hi = this.cdf.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.cdf[mid] < u) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
