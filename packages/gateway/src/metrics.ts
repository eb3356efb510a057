import {
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  type LabelValues,
  Registry,
} from 'prom-client'

/** What the metrics read from the member the gateway serves (a `PeerStatus` fits). */
export interface StatusSnapshot {
  peerId: string
  keyCount: number
  storedCount: number
  predecessor?: { peerId: string } | undefined
  successors: ReadonlyArray<{ peerId: string }>
  fingers: ReadonlyArray<{ peerId: string }>
  counters: Record<string, number>
}

interface CounterSpec {
  name: string
  help: string
  labels?: Record<string, string>
}

/**
 * The peer's own counters (`status().counters`) as Prometheus counters. Counters not in
 * this table still appear, as `ringdht_peer_events_total{counter="<name>"}`.
 */
const PEER_COUNTERS: Readonly<Record<string, CounterSpec>> = {
  requests: { name: 'ringdht_peer_requests_total', help: 'Ring RPC requests this member served' },
  forwarded: {
    name: 'ringdht_forwards_total',
    help: 'Requests this member forwarded towards the owner of their key',
  },
  routeFailures: {
    name: 'ringdht_route_failures_total',
    help: 'Requests this member could not route',
  },
  gets: {
    name: 'ringdht_peer_operations_total',
    help: 'Key operations this member served, by operation',
    labels: { operation: 'get' },
  },
  puts: {
    name: 'ringdht_peer_operations_total',
    help: 'Key operations this member served, by operation',
    labels: { operation: 'put' },
  },
  deletes: {
    name: 'ringdht_peer_operations_total',
    help: 'Key operations this member served, by operation',
    labels: { operation: 'delete' },
  },
  keysReceived: {
    name: 'ringdht_keys_moved_total',
    help: 'Records moved between members by joins and leaves',
    labels: { reason: 'join', direction: 'in' },
  },
  keysTransferred: {
    name: 'ringdht_keys_moved_total',
    help: 'Records moved between members by joins and leaves',
    labels: { reason: 'join', direction: 'out' },
  },
  keysHandedOff: {
    name: 'ringdht_keys_moved_total',
    help: 'Records moved between members by joins and leaves',
    labels: { reason: 'leave', direction: 'out' },
  },
  badFrames: { name: 'ringdht_bad_frames_total', help: 'Malformed frames received' },
  replicaWrites: {
    name: 'ringdht_replication_replica_writes_total',
    help: 'Replica copies acknowledged for writes this member coordinated',
  },
  quorumFailures: {
    name: 'ringdht_replication_quorum_failures_total',
    help: 'Writes that did not reach their write quorum',
  },
  readFallbacks: {
    name: 'ringdht_replication_read_fallbacks_total',
    help: "Gets answered by the owner's replicas because the owner did not answer",
  },
  repairPulled: {
    name: 'ringdht_replication_repairs_total',
    help: 'Records exchanged by anti-entropy repair, by direction',
    labels: { direction: 'pulled' },
  },
  repairPushed: {
    name: 'ringdht_replication_repairs_total',
    help: 'Records exchanged by anti-entropy repair, by direction',
    labels: { direction: 'pushed' },
  },
  antiEntropyPasses: {
    name: 'ringdht_replication_anti_entropy_passes_total',
    help: 'Anti-entropy passes run',
  },
  rangesRepaired: {
    name: 'ringdht_replication_ranges_repaired_total',
    help: 'Range comparisons that found differences',
  },
  failuresDetected: {
    name: 'ringdht_membership_failures_detected_total',
    help: 'Neighbours dropped after failing requests in a row',
  },
  leavesReceived: {
    name: 'ringdht_membership_leaves_received_total',
    help: 'Neighbours that announced they were leaving',
  },
  rejoins: {
    name: 'ringdht_membership_rejoins_total',
    help: 'Times this member, left alone, found the ring again',
  },
  tombstonesCollected: {
    name: 'ringdht_store_tombstones_collected_total',
    help: 'Delete tombstones collected after their grace period',
  },
  strayRecordsDropped: {
    name: 'ringdht_store_stray_records_dropped_total',
    help: 'Records dropped because they lie outside every range this member replicates',
  },
}

const OTHER_PEER_COUNTERS = 'ringdht_peer_events_total'

/** Latency buckets in seconds, from a loopback get to a slow quorum write. */
const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]

export interface GatewayMetricsInit {
  /**
   * Register into this registry (e.g. one libp2p's @libp2p/prometheus-metrics also writes
   * to, so /metrics shows both). Default: a registry of its own.
   */
  registry?: Registry
  /** Also export the Node process metrics (CPU, memory, event loop). Default true. */
  processMetrics?: boolean
  /** How long one status read serves scrapes. Default 1000 ms. */
  statusCacheMs?: number
}

/**
 * The gateway's Prometheus registry: per-operation request counts, latencies and hops
 * measured around the client calls, HTTP requests per route, the open event streams, and
 * at scrape time the member's own counters, store size and membership from its status.
 */
export class GatewayMetrics {
  readonly registry: Registry
  readonly #operations: Counter<'operation' | 'outcome'>
  readonly #duration: Histogram<'operation'>
  readonly #hops: Histogram<'operation'>
  readonly #http: Counter<'method' | 'route' | 'status_code'>
  readonly #httpDuration: Histogram<'method' | 'route'>
  readonly #streams: Gauge
  readonly #streamsDropped: Counter
  readonly #status: () => Promise<StatusSnapshot>
  readonly #statusCacheMs: number
  #statusRead: { at: number; promise: Promise<StatusSnapshot | undefined> } | undefined

  constructor(status: () => Promise<StatusSnapshot>, init: GatewayMetricsInit = {}) {
    this.#status = status
    this.registry = init.registry ?? new Registry()
    this.#statusCacheMs = init.statusCacheMs ?? 1_000
    const registers = [this.registry]
    if (init.processMetrics ?? true) collectDefaultMetrics({ register: this.registry })
    this.#operations = new Counter({
      name: 'ringdht_requests_total',
      help: 'Ring operations the gateway ran, by operation and outcome (ok, not_found, error)',
      labelNames: ['operation', 'outcome'],
      registers,
    })
    this.#duration = new Histogram({
      name: 'ringdht_request_duration_seconds',
      help: 'Time a ring operation took, seen from the gateway',
      labelNames: ['operation'],
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.#hops = new Histogram({
      name: 'ringdht_request_hops',
      help: 'Forwards a key operation took to reach the owner',
      labelNames: ['operation'],
      buckets: [0, 1, 2, 3, 4, 6, 8, 12, 16, 32],
      registers,
    })
    this.#http = new Counter({
      name: 'ringdht_http_requests_total',
      help: 'HTTP requests answered, by method, route and status code',
      labelNames: ['method', 'route', 'status_code'],
      registers,
    })
    this.#httpDuration = new Histogram({
      name: 'ringdht_http_request_duration_seconds',
      help: 'Time to answer an HTTP request',
      labelNames: ['method', 'route'],
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.#streams = new Gauge({
      name: 'ringdht_http_event_streams',
      help: 'Server-Sent Event streams open',
      registers,
    })
    this.#streamsDropped = new Counter({
      name: 'ringdht_http_event_streams_dropped_total',
      help: 'Event streams cut off because their reader fell too far behind',
      registers,
    })
    this.#registerStatusMetrics()
  }

  /** Run one ring operation, counting it and timing it. */
  async time<T>(
    operation: string,
    run: () => Promise<T>,
    outcomeOf: (result: T) => string = () => 'ok',
  ): Promise<T> {
    const end = this.#duration.startTimer({ operation })
    try {
      const result = await run()
      end()
      this.#operations.inc({ operation, outcome: outcomeOf(result) })
      const hops = (result as { hops?: unknown } | undefined)?.hops
      if (typeof hops === 'number') this.#hops.observe({ operation }, hops)
      return result
    } catch (err) {
      end()
      this.#operations.inc({ operation, outcome: 'error' })
      throw err
    }
  }

  observeHttp(method: string, route: string, statusCode: number, seconds: number): void {
    this.#http.inc({ method, route, status_code: String(statusCode) })
    this.#httpDuration.observe({ method, route }, seconds)
  }

  setStreams(open: number): void {
    this.#streams.set(open)
  }

  streamDropped(): void {
    this.#streamsDropped.inc()
  }

  /** The exposition text. */
  async expose(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() }
  }

  /** One status read shared by every metric of a scrape; undefined when it failed. */
  #readStatus(): Promise<StatusSnapshot | undefined> {
    const now = Date.now()
    if (this.#statusRead !== undefined && now - this.#statusRead.at < this.#statusCacheMs) {
      return this.#statusRead.promise
    }
    const promise = this.#status().catch(() => undefined)
    this.#statusRead = { at: now, promise }
    return promise
  }

  #registerStatusMetrics(): void {
    const registers = [this.registry]
    const read = () => this.#readStatus()
    const families = new Map<string, { help: string; labels: Set<string> }>()
    for (const spec of Object.values(PEER_COUNTERS)) {
      const family = families.get(spec.name) ?? { help: spec.help, labels: new Set<string>() }
      for (const label of Object.keys(spec.labels ?? {})) family.labels.add(label)
      families.set(spec.name, family)
    }
    for (const [name, family] of families) {
      new Counter({
        name,
        help: family.help,
        labelNames: [...family.labels],
        registers,
        async collect() {
          const status = await read()
          if (status === undefined) return
          this.reset()
          for (const [counter, spec] of Object.entries(PEER_COUNTERS)) {
            if (spec.name !== name) continue
            const value = status.counters[counter] ?? 0
            if (spec.labels === undefined) this.inc(value)
            else this.inc(spec.labels as LabelValues<string>, value)
          }
        },
      })
    }
    new Counter({
      name: OTHER_PEER_COUNTERS,
      help: "The member's other counters, by name",
      labelNames: ['counter'],
      registers,
      async collect() {
        const status = await read()
        if (status === undefined) return
        this.reset()
        for (const [counter, value] of Object.entries(status.counters)) {
          if (PEER_COUNTERS[counter] === undefined) this.inc({ counter }, value)
        }
      },
    })
    new Gauge({
      name: 'ringdht_store_records',
      help: "Records in the member's store: scope primary (its own range) or all (with replicas)",
      labelNames: ['scope'],
      registers,
      async collect() {
        const status = await read()
        if (status === undefined) return
        this.set({ scope: 'primary' }, status.keyCount)
        this.set({ scope: 'all' }, status.storedCount)
      },
    })
    new Gauge({
      name: 'ringdht_membership_members_known',
      help: 'Distinct members this member knows: itself, predecessor, successors, fingers',
      registers,
      async collect() {
        const status = await read()
        if (status === undefined) return
        const known = new Set([status.peerId])
        if (status.predecessor !== undefined) known.add(status.predecessor.peerId)
        for (const member of [...status.successors, ...status.fingers]) known.add(member.peerId)
        this.set(known.size)
      },
    })
    new Gauge({
      name: 'ringdht_membership_successors',
      help: "Length of the member's successor list",
      registers,
      async collect() {
        const status = await read()
        if (status !== undefined) this.set(status.successors.length)
      },
    })
    new Gauge({
      name: 'ringdht_up',
      help: '1 when the member answered the status read of this scrape',
      registers,
      async collect() {
        this.set((await read()) === undefined ? 0 : 1)
      },
    })
  }
}
