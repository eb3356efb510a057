import type { EventHub } from './sse.js'

/** A member as the gateway's client reports it (`RingMemberInfo` fits). */
export interface RingMember {
  peerId: string
  ringId: string
  multiaddrs: string[]
  range: { start: string; end: string }
  keyCount: number
  replicaKeyCount: number
  health: 'ok' | 'unreachable'
}

/** A member in the picture: those no longer in the ring stay a while as failed or left. */
export interface RingViewMember extends RingMember {
  state: 'ok' | 'failed' | 'left'
  /** When a member that is not 'ok' was first seen so (ISO time). */
  since?: string
}

export interface RingSnapshot {
  /** When the ring was walked (ISO time). */
  at: string
  /** Copies of each key, for replica sets. */
  replicas: number
  /** Members in ring order, then members that failed or left recently. */
  members: RingViewMember[]
}

export interface RingWatcherComponents {
  ring(options: { signal?: AbortSignal }): Promise<RingMember[]>
  hub: EventHub
}

export interface RingWatcherInit {
  /** How often the ring is walked while an event stream is open. Default 2000. */
  refreshMs: number
  /** How long members that failed or left stay in the picture. Default 600000. */
  forgetAfterMs: number
  replicas: number
  timeoutMs: number
}

/**
 * Walks the ring while someone watches (an open event stream) and publishes a `ring`
 * event whenever what it shows changes; remembers members that disappeared, as failed,
 * or as left when they announced it, so the page can show what happened.
 */
export class RingWatcher {
  readonly #components: RingWatcherComponents
  readonly #init: RingWatcherInit
  readonly #departed = new Map<string, RingViewMember>()
  readonly #left = new Set<string>()
  #latest: RingSnapshot | undefined
  #latestKey = ''
  #walking: Promise<RingSnapshot> | undefined
  #timer: NodeJS.Timeout | undefined
  #stopped = false

  constructor(components: RingWatcherComponents, init: RingWatcherInit) {
    this.#components = components
    this.#init = init
  }

  get latest(): RingSnapshot | undefined {
    return this.#latest
  }

  /** Start or stop polling according to the number of open streams. */
  watchers(open: number): void {
    if (open > 0 && this.#timer === undefined && !this.#stopped) this.#schedule(0)
    if (open === 0 && this.#timer !== undefined) {
      clearTimeout(this.#timer)
      this.#timer = undefined
    }
  }

  /** A peer event of the member the gateway serves: publish it and walk the ring soon. */
  peerEvent(name: string, detail: unknown): void {
    const summary = summarize(detail)
    const peer = (detail as { peer?: { peerId?: unknown } } | undefined)?.peer
    if (
      name === 'peer:left' &&
      (detail as { reason?: unknown }).reason === 'left' &&
      typeof peer?.peerId === 'string'
    ) {
      this.#left.add(peer.peerId)
    }
    this.#components.hub.publish('peer', { event: name, detail: summary })
    if (this.#timer !== undefined) this.#schedule(200)
  }

  /** Walk the ring now (one walk at a time; callers share it). */
  refresh(): Promise<RingSnapshot> {
    if (this.#walking !== undefined) return this.#walking
    const walk = this.#walk().finally(() => {
      this.#walking = undefined
    })
    this.#walking = walk
    return walk
  }

  stop(): void {
    this.#stopped = true
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.refresh()
        .catch(() => {})
        .finally(() => {
          if (this.#timer !== undefined && !this.#stopped) this.#schedule(this.#init.refreshMs)
        })
    }, delayMs)
    this.#timer.unref()
  }

  async #walk(): Promise<RingSnapshot> {
    const members = await this.#components.ring({
      signal: AbortSignal.timeout(this.#init.timeoutMs),
    })
    const now = Date.now()
    const present = new Set(members.map((m) => m.peerId))
    for (const previous of this.#latest?.members ?? []) {
      if (present.has(previous.peerId) || this.#departed.has(previous.peerId)) continue
      this.#departed.set(previous.peerId, {
        ...previous,
        health: 'unreachable',
        keyCount: 0,
        replicaKeyCount: 0,
        state: this.#left.has(previous.peerId) ? 'left' : 'failed',
        since: previous.since ?? new Date(now).toISOString(),
      })
    }
    for (const [peerId, member] of this.#departed) {
      const since = Date.parse(member.since ?? '')
      if (present.has(peerId) || now - since > this.#init.forgetAfterMs) {
        this.#departed.delete(peerId)
        this.#left.delete(peerId)
      }
    }
    const view: RingViewMember[] = members.map((member) => {
      if (member.health === 'ok') return { ...member, state: 'ok' }
      const before = this.#latest?.members.find((m) => m.peerId === member.peerId)
      return {
        ...member,
        state: this.#left.has(member.peerId) ? 'left' : 'failed',
        since: before?.since ?? new Date(now).toISOString(),
      }
    })
    const snapshot: RingSnapshot = {
      at: new Date(now).toISOString(),
      replicas: this.#init.replicas,
      members: [...view, ...this.#departed.values()],
    }
    const key = JSON.stringify(
      snapshot.members.map((m) => [
        m.peerId,
        m.state,
        m.keyCount,
        m.replicaKeyCount,
        m.range.start,
        m.range.end,
      ]),
    )
    this.#latest = snapshot
    if (key !== this.#latestKey) {
      this.#latestKey = key
      this.#components.hub.publish('ring', snapshot)
    }
    return snapshot
  }
}

/** Event details as ids, counts and strings: never raw network data. */
function summarize(detail: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (detail == null || typeof detail !== 'object') return out
  for (const [name, value] of Object.entries(detail)) {
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
      out[name] = value
    } else if (value != null && typeof value === 'object' && 'peerId' in value) {
      out[name] = String((value as { peerId: unknown }).peerId)
    }
  }
  return out
}
