/** Shared by the ringdht client process and the drivers that command it. */

/** ringdht keys are plain bytes; the prefix only keeps the runs apart. */
export const RINGDHT_NAMESPACE = 'bench'

export interface VerifyOwnerArgs {
  runTag: string
  indices: number[]
  valueBytes: number
  /** Peer id expected at the end of each get's path. */
  owner: string
  concurrency: number
  timeLimitMs: number
  operationTimeoutMs: number
}

export interface VerifyOwnerResult {
  /** Indices served with the right value by `owner`. */
  served: number[]
  wrongOwner: number
  failed: number
}
