import { workerData } from 'node:worker_threads'
import { DONE, FAILED, type HashJob, runHashJob } from './hash-job.js'

/** One share of a hash job; reports through the shared status word, not messages. */
interface WorkerInput {
  job: HashJob
  from: number
  to: number
  status: Int32Array
  slot: number
}

const { job, from, to, status, slot } = workerData as WorkerInput
try {
  runHashJob(job, from, to)
  Atomics.store(status, slot, DONE)
} catch (error) {
  Atomics.store(status, slot, FAILED)
  throw error
} finally {
  Atomics.notify(status, slot)
}
