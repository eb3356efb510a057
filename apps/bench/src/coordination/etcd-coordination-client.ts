/**
 * Child process: an etcd v3 client (the `etcd3` npm package, gRPC) running the same
 * coordination cases as the ringdht one. CAS is a txn: compare the key's mod_revision
 * with the one last seen, put if equal, else read the key (so a failed CAS returns the
 * state to expect next, as ringdht's does). Lock cycles use etcd's lock service (see
 * v3lock.ts) under a session lease per concurrent worker, as concurrency.Mutex users do.
 */
import { Etcd3, type Lease } from 'etcd3'
import { failChild, guardChildLifetime, serveCommands } from '../harness/child-runtime.js'
import {
  type CasRunArgs,
  type LockRunArgs,
  runCas,
  runLockCycles,
} from './coordination-commands.js'
import { V3LockClient } from './v3lock.js'

let etcd: Etcd3 | undefined
const lockClients: V3LockClient[] = []
const stop = async (): Promise<void> => {
  for (const lockClient of lockClients) lockClient.close()
  etcd?.close()
}
guardChildLifetime(stop)

/** etcd's smallest lease: 3/2 of the election timeout, rounded up to whole seconds. */
const MIN_LEASE_S = 2

/** Session leases no worker is using right now; a worker takes one or makes one. */
class SessionPool {
  private readonly idle: Array<{ lease: Lease; id: string }> = []
  private readonly all: Lease[] = []

  constructor(
    private readonly client: Etcd3,
    private readonly ttlS: number,
  ) {}

  async take() {
    const free = this.idle.pop()
    if (free !== undefined) return free
    const lease = this.client.lease(this.ttlS)
    lease.on('lost', () => {})
    this.all.push(lease)
    return { lease, id: await lease.grant() }
  }

  give(session: { lease: Lease; id: string }): void {
    this.idle.push(session)
  }

  /** A session that failed mid-cycle may have left a waiter's key behind: not reused. */
  discard(session: { lease: Lease; id: string }): void {
    session.lease.revoke().catch(() => {})
  }

  /** Grants `count` sessions before the cycles, so no cycle pays for a grant. */
  async warm(count: number): Promise<void> {
    const sessions = await Promise.all(Array.from({ length: count }, () => this.take()))
    for (const session of sessions) this.give(session)
  }

  async revokeAll(): Promise<void> {
    await Promise.allSettled(this.all.map((lease) => lease.revoke()))
  }
}

try {
  const endpoints = JSON.parse(process.argv[2] ?? '[]') as string[]
  if (endpoints.length === 0) throw new Error('the etcd client needs endpoints')
  const self = new Etcd3({ hosts: endpoints })
  etcd = self
  for (const endpoint of endpoints) lockClients.push(new V3LockClient(endpoint))
  // a first request, so a broken cluster fails the start rather than the first case
  await self.get('/coord/hello').string()
  let nextLockClient = 0
  serveCommands({
    info: {},
    stop,
    commands: {
      cas: (args: CasRunArgs) =>
        runCas<string>(args, async (key, seen, next) => {
          const result = await self
            .if(key, 'Mod', '==', seen ?? '0')
            .then(self.put(key).value(next))
            .else(self.get(key))
            .options({ deadline: Date.now() + args.operationTimeoutMs })
            .commit()
          if (result.succeeded) return { succeeded: true, state: result.header.revision }
          const current = result.responses[0]?.response_range?.kvs[0]
          return { succeeded: false, state: current?.mod_revision }
        }),
      lock: async (args: LockRunArgs) => {
        const sessions = new SessionPool(self, Math.max(MIN_LEASE_S, Math.ceil(args.ttlMs / 1000)))
        try {
          await sessions.warm(args.concurrency)
          return await runLockCycles(args, async (name) => {
            const session = await sessions.take()
            const lockClient = lockClients[nextLockClient++ % lockClients.length]
            if (lockClient === undefined) throw new Error('no lock client')
            try {
              const key = await lockClient.lock(name, session.id, args.operationTimeoutMs)
              await lockClient.unlock(key, args.operationTimeoutMs)
              sessions.give(session)
            } catch (err) {
              sessions.discard(session)
              throw err
            }
          })
        } finally {
          await sessions.revokeAll()
        }
      },
    },
  })
} catch (err) {
  failChild(err)
}
