import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { RingId, TokenPlacer } from '@ringdht/ring'
import { DONE, type HashJob, jobSize, PENDING, runHashJob } from './hash-job.js'

/** Below this many hashes a worker costs more to start than it saves. */
const PARALLEL_THRESHOLD = 200_000
/** A worker that has not finished by then is broken, not slow. */
const WORKER_DEADLINE_MS = 600_000

const workerUrl = new URL('./hash-worker.js', import.meta.url)

/**
 * Runs a hash job over this machine's cores and returns when all of it is done. SHA-256
 * is most of the time of a large simulation (12.8 million virtual node positions at
 * N = 100,000, V = 128). The caller stays synchronous: the main thread takes the first
 * share, then blocks on the shared status words until the workers have written theirs.
 */
export function runInParallel(job: HashJob, hashesPerItem = 1): void {
  const items = jobSize(job)
  const threads = Math.min(availableParallelism(), 4)
  if (threads < 2 || items * hashesPerItem < PARALLEL_THRESHOLD) {
    runHashJob(job, 0, items)
    return
  }
  const status = new Int32Array(new SharedArrayBuffer(4 * threads))
  const bounds = Array.from({ length: threads + 1 }, (_, t) => Math.floor((items * t) / threads))
  const workers: Worker[] = []
  for (let t = 1; t < threads; t++) {
    const workerData = { job, from: bounds[t], to: bounds[t + 1], status, slot: t }
    const worker = new Worker(workerUrl, { workerData })
    worker.unref()
    workers.push(worker)
  }
  try {
    runHashJob(job, 0, bounds[1] as number)
    for (let t = 1; t < threads; t++) {
      const outcome = Atomics.wait(status, t, PENDING, WORKER_DEADLINE_MS)
      if (outcome === 'timed-out' || Atomics.load(status, t) !== DONE) {
        throw new Error(`hash worker ${t} failed or did not finish`)
      }
    }
  } finally {
    for (const worker of workers) void worker.terminate()
  }
}

/**
 * Copies out of shared memory: the sort and millions of binary searches follow, and
 * V8 reads a SharedArrayBuffer-backed array more slowly (it must assume other threads).
 */
function unshared(high: Uint32Array, low: Uint32Array): { high: Uint32Array; low: Uint32Array } {
  return { high: new Uint32Array(high), low: new Uint32Array(low) }
}

function shared32(length: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(4 * length))
}

/** A {@link TokenPlacer} that hashes on every core; same positions as placeTokens. */
export const placeTokensInParallel: TokenPlacer = (nodes: readonly RingId[], virtualNodes) => {
  const nodeHigh = shared32(nodes.length)
  const nodeLow = shared32(nodes.length)
  nodes.forEach((node, n) => {
    nodeHigh[n] = Number(node >> 32n)
    nodeLow[n] = Number(node & 0xffffffffn)
  })
  const outHigh = shared32(nodes.length * virtualNodes)
  const outLow = shared32(nodes.length * virtualNodes)
  runInParallel(
    { kind: 'tokens', nodeHigh, nodeLow, virtualNodes, outHigh, outLow },
    virtualNodes - 1,
  )
  return unshared(outHigh, outLow)
}

/** The ring positions of keys of 16 bytes each, hashed on every core. */
export function hashKeysInParallel(bytes: Uint8Array): { high: Uint32Array; low: Uint32Array } {
  const count = bytes.length / 16
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length))
  shared.set(bytes)
  const outHigh = shared32(count)
  const outLow = shared32(count)
  runInParallel({ kind: 'keys', bytes: shared, outHigh, outLow })
  return unshared(outHigh, outLow)
}
