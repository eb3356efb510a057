import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { Logger } from 'pino'
import type { Neighbours } from './neighbours.js'
import { type RingNode, ringNode } from './ring-node.js'

const FILE = 'members.json'
/** At most this many members are remembered (the successor list and the predecessor). */
const MAX_REMEMBERED = 32

interface Remembered {
  peerId: string
  multiaddrs: string[]
}

/**
 * The neighbours a member had, kept in `<dataDir>/members.json`, so that after a restart it
 * knows it was part of a larger ring. A member restarted without bootstrap peers (the
 * seed, after every member of the ring was restarted) would otherwise take itself for a
 * ring of one and answer every key from its own store ("absent" for most); with this it
 * starts cut off, asks the remembered members for its place, and serves nothing until
 * one of them answers (or another member joins through it).
 */
export class RememberedMembers {
  readonly #path: string
  readonly #logger: Logger
  #saving: Promise<void> = Promise.resolve()
  #last = ''

  constructor(dataDir: string, logger: Logger) {
    this.#path = join(dataDir, FILE)
    this.#logger = logger
  }

  /** The members remembered from the last run, other than `self`; [] when none or unreadable. */
  async load(self: RingNode): Promise<RingNode[]> {
    let entries: unknown
    try {
      entries = JSON.parse(await readFile(this.#path, 'utf8'))
    } catch {
      return []
    }
    if (!Array.isArray(entries)) return []
    const nodes: RingNode[] = []
    for (const entry of entries.slice(0, MAX_REMEMBERED) as Remembered[]) {
      try {
        if (entry.peerId === self.key) continue
        nodes.push(ringNode(peerIdFromString(entry.peerId), entry.multiaddrs.map(multiaddr)))
      } catch (err) {
        this.#logger.debug({ err }, 'skipping a remembered member that does not parse')
      }
    }
    return nodes
  }

  /**
   * Before joining: make the remembered members known (the rejoin asks them), and when
   * there is no bootstrap peer to join through, start cut off rather than as a ring of one.
   * Returns the members remembered.
   */
  async restore(
    self: RingNode,
    nodes: { add(node: RingNode): RingNode },
    membership: { startCutOff(): void },
    bootstrapPeers: number,
  ): Promise<RingNode[]> {
    const known = await this.load(self)
    for (const node of known) nodes.add(node)
    if (known.length > 0 && bootstrapPeers === 0) {
      membership.startCutOff()
      this.#logger.info({ remembered: known.length }, 'waiting for the members of the last run')
    }
    return known
  }

  /** Keep the neighbours (written in the background, one write at a time, atomically). */
  save(neighbours: Pick<Neighbours, 'self' | 'successors' | 'predecessor'>): void {
    const others = neighbours.successors.filter((s) => s.key !== neighbours.self.key)
    const members =
      neighbours.predecessor === undefined ? others : [...others, neighbours.predecessor]
    const entries: Remembered[] = members.slice(0, MAX_REMEMBERED).map((node) => ({
      peerId: node.key,
      multiaddrs: node.multiaddrs.map(String),
    }))
    const text = JSON.stringify(entries)
    if (text === this.#last) return
    this.#last = text
    this.#saving = this.#saving.then(async () => {
      try {
        const temporary = `${this.#path}.tmp`
        await writeFile(temporary, text)
        await rename(temporary, this.#path)
      } catch (err) {
        this.#logger.warn({ err }, 'could not remember the ring members')
      }
    })
  }

  /** Resolves once the writes asked for so far are done. */
  flushed(): Promise<void> {
    return this.#saving
  }
}
