// The editors of "newsroom at work" (bench/workloads/newsroom.ts): while started, a lede edit of a
// random story (uniformly drawn, whatever its readers) every 1/EDITS_PER_SECOND s, and every
// PUBLISH_EVERY_SECONDS a new story created and published, all through our server's API with the
// editor's token. Its clock runs only while it is started, so short runs add up to those rates.
import type { ServerProcess } from './processes.js'
import { Random } from './prng.js'
import { monotonicMs, send } from './requests.js'
import type { HttpRequest } from './workloads/http.js'
import {
  createStoryRequest,
  EDITS_PER_SECOND,
  PUBLISH_EVERY_SECONDS,
  updateLedeRequest,
  type Filing,
} from './workloads/newsroom.js'
import { published, publishRequest } from './workloads/write.js'

export interface DeskStory {
  /** global id */
  id: string
  slug: string
  version: number
}

export interface DeskFigures {
  updates: number
  publishes: number
  failures: number
  /** seconds the desk was writing */
  seconds: number
  /** every write request's latency, ms */
  latencyMs: number[]
  /** the first failures, as answered */
  errors: string[]
}

const INTERVAL_MS = 1000 / EDITS_PER_SECOND
const isStory = (text: string) => text.includes('"__typename":"Story"')

export class Desk {
  readonly figures: DeskFigures = { updates: 0, publishes: 0, failures: 0, seconds: 0, latencyMs: [], errors: [] }
  private readonly random: Random
  private readonly busy = new Set<DeskStory>()
  private readonly inFlight = new Set<Promise<void>>()
  private readonly stamp = Date.now().toString(36)
  private timer: NodeJS.Timeout | null = null
  private ticks = 0
  /** writing time until the next tick, ms, as of `since` */
  private due = 0
  private since = 0
  private startedAt = 0

  constructor(
    private readonly server: ServerProcess,
    private readonly token: string,
    private readonly stories: DeskStory[],
    private readonly filings: Filing[],
    seed: number,
  ) {
    this.random = new Random(seed)
  }

  start(): void {
    this.startedAt = this.since = monotonicMs()
    this.timer = setTimeout(() => this.tick(), this.due)
  }

  /** Stops, and waits for the writes under way. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const now = monotonicMs()
    this.due = Math.max(0, this.due - (now - this.since))
    this.figures.seconds += (now - this.startedAt) / 1000
    await Promise.all(this.inFlight)
  }

  private tick(): void {
    this.due = INTERVAL_MS
    this.since = monotonicMs()
    this.timer = setTimeout(() => this.tick(), INTERVAL_MS)
    const n = this.ticks++
    this.track(this.edit(n))
    const every = PUBLISH_EVERY_SECONDS * EDITS_PER_SECOND
    if (n % every === 0) this.track(this.publish(n / every))
  }

  private track(write: Promise<void>): void {
    this.inFlight.add(write)
    void write.finally(() => this.inFlight.delete(write))
  }

  private async write(request: HttpRequest, ok: (text: string) => boolean): Promise<any> {
    const started = monotonicMs()
    const { status, text, json } = await send(this.server, request).catch((error) => ({
      status: 0,
      text: String(error),
      json: undefined,
    }))
    this.figures.latencyMs.push(monotonicMs() - started)
    if (status === 200 && ok(text)) return json.data
    this.figures.failures++
    if (this.figures.errors.length < 5) this.figures.errors.push(`${status}: ${text.slice(0, 300)}`)
    return null
  }

  private async edit(n: number): Promise<void> {
    let story: DeskStory
    do story = this.random.pick(this.stories)
    while (this.busy.has(story))
    this.busy.add(story)
    try {
      const lede = `The desk's edit ${n + 1} of this story: what is known now, rewritten as the news develops.`
      const data = await this.write(updateLedeRequest(story.id, story.version, lede, this.token), isStory)
      if (!data) return
      story.version = data.updateStory.version
      this.figures.updates++
    } finally {
      this.busy.delete(story)
    }
  }

  private async publish(k: number): Promise<void> {
    const filing = this.filings[k % this.filings.length]
    const created = await this.write(createStoryRequest(`newsroom-${this.stamp}-${k}`, filing, this.token), isStory)
    if (!created) return
    if (await this.write(publishRequest(created.createStory.id, this.token), published)) this.figures.publishes++
  }
}
