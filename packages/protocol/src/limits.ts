/** Size and count limits shared by both ends of a connection. */
export interface WireLimits {
  /** Largest key, bytes. Default 1 KiB. */
  readonly maxKeyBytes: number
  /** Largest value, bytes. Default 1 MiB. */
  readonly maxValueBytes: number
  /** Largest frame a peer reads; larger frames close the stream. Default 4 MiB. */
  readonly maxFrameBytes: number
  /** Most forwards of one request before it fails with HOP_LIMIT_EXCEEDED. Default 32. */
  readonly maxHops: number
  /** Most records in one transfer or scan page. Default 512. */
  readonly maxPageRecords: number
  /** Most bytes of keys and values in one transfer or scan page (soft). Default 1 MiB. */
  readonly maxPageBytes: number
}

export const DEFAULT_LIMITS: WireLimits = Object.freeze({
  maxKeyBytes: 1024,
  maxValueBytes: 1024 * 1024,
  maxFrameBytes: 4 * 1024 * 1024,
  maxHops: 32,
  maxPageRecords: 512,
  maxPageBytes: 1024 * 1024,
})

/** Collection limits handed to the protobuf decoder so a hostile frame cannot allocate freely. */
export const DECODE_COLLECTION_LIMITS = Object.freeze({
  path: 256,
  peers: 64,
  multiaddrs: 32,
  records: 10_000,
  digests: 4096,
  /** Dead letters in one queue answer, task ids in one replay, workers in one queue's stats. */
  queueTasks: 1000,
  queueWorkers: 1024,
})
