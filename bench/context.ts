// What every phase of a run shares: the database, the data's fixtures, the editor's token, the
// drafts not yet published, the settings, and where to log.
import type { Fixtures } from './generate.js'
import { publishRequest, published } from './workloads/write.js'
import { send } from './requests.js'
import type { ServerProcess } from './processes.js'
import type { BenchSettings } from './settings.js'

export interface BenchContext {
  settings: BenchSettings
  databaseUrl: string
  fixtures: Fixtures
  /** an editor's bearer token for our servers */
  token: string
  drafts: DraftPool
  log: (line: string) => void
}

/** Drafts are published once each, in order: a pool for the write workload, one for the fan-out. */
export class DraftPool {
  private write = 0
  private live = 0
  constructor(private readonly fixtures: Fixtures) {}

  nextWrite(): { id: string; slug: string } {
    const draft = this.fixtures.writeDrafts[this.write++]
    if (!draft) throw new Error('the write drafts ran out: generate more (DataSize.writeDrafts)')
    return draft
  }
  get writesLeft(): number {
    return this.fixtures.writeDrafts.length - this.write
  }
  nextLive(): { id: string; slug: string } {
    const draft = this.fixtures.liveDrafts[this.live++]
    if (!draft) throw new Error('the live drafts ran out: generate more (DataSize.liveDrafts)')
    return draft
  }
  get liveLeft(): number {
    return this.fixtures.liveDrafts.length - this.live
  }
}

/** Publishes a draft through our server's editor mutation; throws unless it was published. */
export async function publishDraft(server: ServerProcess, draft: { id: string }, token: string): Promise<void> {
  const { status, text } = await send(server, publishRequest(draft.id, token))
  if (status !== 200 || !published(text))
    throw new Error(`publishing ${draft.id} through ${server.name} failed (${status}): ${text.slice(0, 300)}`)
}
