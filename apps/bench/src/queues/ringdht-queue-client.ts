/**
 * Child process: the ringdht side of the queue comparison. The producer is one
 * `createClient`, and each of the workers its own (4 libp2p clients besides), all dialling
 * the member the driver names, as separate worker machines would.
 */
import { createClient, type RingClient } from '@ringdht/peer'
import { failChild, guardChildLifetime, serveCommands } from '../harness/child-runtime.js'
import { readMemberArgs } from '../harness/member-args.js'
import { queueClientCommands } from './queue-client-commands.js'
import type { QueueBackend } from './queue-workload.js'

/** Worker connections kept: workers of a case take them in turn, later cases reuse them. */
const WORKER_CLIENTS = 4

const clients: RingClient[] = []
const stop = async (): Promise<void> => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})))
}
guardChildLifetime(stop)

const connect = async (peer: string) => {
  const client = await createClient({ peer, timeoutMs: 10_000 })
  clients.push(client)
  return client
}

try {
  const { bootstrap } = readMemberArgs()
  if (bootstrap === undefined) throw new Error('the ringdht queue client needs a member to dial')
  const producer = await connect(bootstrap)
  const workerClients: RingClient[] = []
  let nextWorker = 0
  const workerClient = async () => {
    const slot = nextWorker++ % WORKER_CLIENTS
    workerClients[slot] ??= await connect(bootstrap)
    return workerClients[slot]
  }
  const decoder = new TextDecoder()
  const backend: QueueBackend = {
    async prepare(queue, settings) {
      if (settings.policy === undefined && settings.leaseMs === undefined) return
      await producer.queues.configure(queue, {
        ...(settings.policy === undefined ? {} : { policy: settings.policy }),
        ...(settings.leaseMs === undefined ? {} : { leaseMs: settings.leaseMs }),
      })
    },
    async enqueue(queue, id, signal) {
      await producer.enqueue(queue, id, { dedupeId: id, signal })
    },
    async startWorker(queue, spec, handler) {
      const client = await workerClient()
      const worker = client.work(queue, (task) => handler(decoder.decode(task.payload)), {
        name: spec.name,
        concurrency: spec.concurrency,
        ...(spec.capacity === undefined ? {} : { capacity: spec.capacity }),
      })
      await worker.ready
      return { acked: () => worker.counts.done, stop: () => worker.stop() }
    },
    async counts(queue) {
      const { ready, delayed, leased, dead, enqueued, acked } = await producer.queues.stats(queue, {
        signal: AbortSignal.timeout(10_000),
      })
      return { enqueued, acked, ready, delayed, leased, dead }
    },
  }
  serveCommands({
    info: {},
    stop,
    commands: {
      ...queueClientCommands(backend),
      // the member serving the queue, as the ring names it (a QUEUE_STATS routed to it)
      home: async (args: { queue: string }) => (await producer.queues.stats(args.queue)).home,
      // how many members the client's ring walk finds (all of them: the ring has settled)
      'ring-size': async () =>
        (await producer.ring({ signal: AbortSignal.timeout(10_000) })).length,
      // the member this process dialled
      dialled: async () => bootstrap.split('/p2p/')[1] ?? '',
    },
  })
} catch (err) {
  failChild(err)
}
