/**
 * @packageDocumentation
 *
 * Where a ringdht peer keeps its records: the `Store` interface, an in-memory store
 * for tests and embedding, and a persistent store on disk. Records carry versions
 * (hybrid logical clock + writer id); the newer version always wins.
 */
export type { ApplyOutcome, RangeDigest, RangeOptions, Store, StoredRecord } from './store.js'
export {
  compareVersions,
  HybridLogicalClock,
  isNewer,
  timestampMillis,
  type Version,
} from './version.js'
