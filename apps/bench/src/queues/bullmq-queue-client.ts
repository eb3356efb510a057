/**
 * Child process: the BullMQ side of the queue comparison. The producer is one `Queue` per
 * queue name (sharing one ioredis connection), and each worker a BullMQ `Worker` with its
 * own connections, as separate worker machines would have. BullMQ's defaults otherwise:
 * completed jobs kept (so a retried add with the same jobId stays a duplicate), ioredis
 * reconnecting after at least 1 s.
 */
import { Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import { failChild, guardChildLifetime, serveCommands } from '../harness/child-runtime.js'
import { queueClientCommands } from './queue-client-commands.js'
import type { QueueBackend } from './queue-workload.js'

const closers: Array<() => Promise<unknown>> = []
const stop = async (): Promise<void> => {
  await Promise.all(closers.map((close) => close().catch(() => {})))
}
guardChildLifetime(stop)

/** Rejects when `signal` aborts, whatever `work` is doing (queue.add takes no signal). */
function bounded<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => {})
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(err)
      },
    )
  })
}

try {
  const raw = process.argv[2] ?? '{}'
  const { host, port } = JSON.parse(raw) as { host: string; port: number }
  const connection = { host, port }
  // the producer's connection; Worker connections must not give up on commands
  const shared = new Redis({ host, port, maxRetriesPerRequest: null })
  shared.on('error', () => {})
  closers.push(async () => shared.disconnect())
  const queues = new Map<string, Queue>()
  const queueOf = (name: string) => {
    let queue = queues.get(name)
    if (queue === undefined) {
      queue = new Queue(name, { connection: shared })
      queue.on('error', () => {})
      queues.set(name, queue)
      const created = queue
      closers.unshift(() => created.close())
    }
    return queue
  }
  const backend: QueueBackend = {
    async prepare(queue) {
      await queueOf(queue).waitUntilReady()
    },
    async enqueue(queue, id, signal) {
      await bounded(queueOf(queue).add('task', { id }, { jobId: id }), signal)
    },
    async startWorker(queue, spec, handler) {
      let acked = 0
      const worker = new Worker(queue, (job) => handler((job.data as { id: string }).id), {
        connection,
        concurrency: spec.concurrency,
        autorun: true,
      })
      worker.on('completed', () => acked++)
      // a lost connection is reported here; ioredis reconnects by itself
      worker.on('error', () => {})
      await worker.waitUntilReady()
      return { acked: () => acked, stop: () => worker.close() }
    },
    async counts(queue) {
      return queueOf(queue).getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed')
    },
  }
  serveCommands({
    info: { redis: `${host}:${port}` },
    stop,
    commands: queueClientCommands(backend),
  })
} catch (err) {
  failChild(err)
}
