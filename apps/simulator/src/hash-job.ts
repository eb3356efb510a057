import { shortSha256 } from '@ringdht/ring'

/** A worker's status word: still running, finished, or failed. */
export const PENDING = 0
export const DONE = 1
export const FAILED = 2

/**
 * SHA-256 work the simulator spreads over threads: positions of virtual nodes, or of
 * keys. All arrays live in SharedArrayBuffers; a job fills out[from … to) and nothing
 * else, so threads never write the same element.
 */
export type HashJob =
  | {
      kind: 'tokens'
      /** Node ids as halves, ascending; node n's tokens go to n·V … n·V + V − 1. */
      nodeHigh: Uint32Array
      nodeLow: Uint32Array
      virtualNodes: number
      outHigh: Uint32Array
      outLow: Uint32Array
    }
  | {
      kind: 'keys'
      /** 16 bytes per key. */
      bytes: Uint8Array
      outHigh: Uint32Array
      outLow: Uint32Array
    }

/** Items in a job: nodes for 'tokens', keys for 'keys'. */
export function jobSize(job: HashJob): number {
  return job.kind === 'tokens' ? job.nodeHigh.length : job.outHigh.length
}

/** Does items [from, to) of the job; the same on the main thread as in a worker. */
export function runHashJob(job: HashJob, from: number, to: number): void {
  const digest = new Uint32Array(2)
  if (job.kind === 'keys') {
    const view = new DataView(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength)
    const words = [0, 0, 0, 0]
    for (let k = from; k < to; k++) {
      for (let j = 0; j < 4; j++) words[j] = view.getUint32(k * 16 + j * 4)
      shortSha256(words, 4, digest)
      job.outHigh[k] = digest[0] as number
      job.outLow[k] = digest[1] as number
    }
    return
  }
  // Position 0 is the id; position i > 0 is hash(id ‖ i), as tokenPositions places it.
  const v = job.virtualNodes
  const words = [0, 0, 0]
  for (let n = from; n < to; n++) {
    const high = job.nodeHigh[n] as number
    const low = job.nodeLow[n] as number
    job.outHigh[n * v] = high
    job.outLow[n * v] = low
    words[0] = high
    words[1] = low
    for (let i = 1; i < v; i++) {
      words[2] = i
      shortSha256(words, 3, digest)
      job.outHigh[n * v + i] = digest[0] as number
      job.outLow[n * v + i] = digest[1] as number
    }
  }
}
