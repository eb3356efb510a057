import type { HybridLogicalClock, Store } from '@ringdht/store'
import type { CapabilityContext } from '../../core/capability.js'
import { AntiEntropy } from './anti-entropy.js'
import { GracefulLeave } from './graceful-leave.js'
import { ReplicaSync } from './replica-sync.js'
import { ReplicaWriter } from './replica-writer.js'
import { StrayRecords } from './stray-records.js'

/** The replication parts of the key/value store, wired to one another. */
export interface Replication {
  /** Copies a write to its replicas (the coordinator side of a write). */
  writer: ReplicaWriter
  /** Brings two members' copies of a range together (digests, then records). */
  sync: ReplicaSync
  /** The periodic pass that heals replicas and drops records nobody asked us to keep. */
  antiEntropy: AntiEntropy
  /** Hands every range off before a graceful leave. */
  leave: GracefulLeave
}

export function buildReplication(
  context: CapabilityContext,
  store: Store,
  clock: Pick<HybridLogicalClock, 'accepts'>,
): Replication {
  const { config, neighbours, pool, nodes, router, counters, emit, logger, lifetime } = context
  const { limits, timers, replicas } = config
  const writer = new ReplicaWriter(
    { neighbours, pool, counters, emit, logger, lifetime },
    { replicas, requestTimeoutMs: timers.requestTimeoutMs },
  )
  const sync = new ReplicaSync(
    { store, pool, clock, counters, logger },
    {
      buckets: limits.repairBuckets,
      maxPageRecords: limits.maxPageRecords,
      maxPageBytes: limits.maxPageBytes,
      maxKeyBytes: limits.maxKeyBytes,
      maxValueBytes: limits.maxValueBytes,
      requestTimeoutMs: timers.requestTimeoutMs,
    },
  )
  const budget = {
    replicas,
    requestTimeoutMs: timers.requestTimeoutMs,
    maxRecordsPerPass: limits.maxRepairRecordsPerPass,
  }
  const strays = new StrayRecords(
    { neighbours, router, pool, nodes, sync, store, counters, emit, logger },
    budget,
  )
  const antiEntropy = new AntiEntropy(
    { neighbours, sync, strays, store, counters, emit, logger },
    {
      replicas,
      tombstoneGraceMs: config.tombstoneGraceMs,
      maxRecordsPerPass: limits.maxRepairRecordsPerPass,
    },
  )
  const leave = new GracefulLeave(
    { neighbours, pool, nodes, sync, counters, emit, logger },
    { ...budget, successorListLength: config.successorListLength },
  )
  return { writer, sync, antiEntropy, leave }
}
