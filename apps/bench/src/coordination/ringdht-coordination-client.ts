/**
 * Child process: a ringdht client (`createClient`) that runs the coordination cases — CAS
 * on registers, lock cycles — and, for the failover case, campaigns in an election or
 * watches one, as a user of the library would.
 */
import { createClient, type Leadership, type RingClient } from '@ringdht/peer'
import { failChild, guardChildLifetime, serveCommands } from '../harness/child-runtime.js'
import { readMemberArgs } from '../harness/member-args.js'
import {
  type CasRunArgs,
  type LockRunArgs,
  runCas,
  runLockCycles,
} from './coordination-commands.js'

export interface CampaignArgs {
  election: string
  id: string
  ttlMs: number
}

export interface AwaitLeaderArgs {
  election: string
  /** Resolve once the leader is someone else than this (undefined: anyone). */
  from?: string
  intervalMs: number
  timeoutMs: number
}

let client: RingClient | undefined
let leadership: Promise<Leadership> | undefined
const stop = async (): Promise<void> => {
  await client?.close()
}
guardChildLifetime(stop)

async function awaitLeader(self: RingClient, args: AwaitLeaderArgs) {
  const signal = AbortSignal.timeout(args.timeoutMs)
  for await (const change of self.observe(args.election, { intervalMs: args.intervalMs, signal })) {
    if (change.leader !== undefined && change.leader !== args.from) return change
  }
  throw new Error(`no leader other than ${args.from ?? 'none'} within ${args.timeoutMs} ms`)
}

try {
  const { bootstrap } = readMemberArgs()
  if (bootstrap === undefined) throw new Error('the ringdht client needs a member to dial')
  const self = await createClient({ peer: bootstrap, timeoutMs: 10_000, routing: 'direct' })
  client = self
  serveCommands({
    info: {},
    stop,
    commands: {
      // what ringdhtSpec.settleClient asks: the members the client's ring walk finds
      ring: async () =>
        (await self.ring({ signal: AbortSignal.timeout(10_000) })).map((member) => ({
          peerId: String(member.peerId),
          ringId: String(member.ringId),
        })),
      cas: (args: CasRunArgs) =>
        runCas<Uint8Array>(args, async (key, seen, next, signal) => {
          const result = await self.cas(key, seen, next, { signal })
          return { succeeded: result.succeeded, state: result.value }
        }),
      lock: (args: LockRunArgs) =>
        runLockCycles(args, async (name, signal) => {
          const handle = await self.lock(name, { ttlMs: args.ttlMs, signal })
          await handle.unlock(signal)
        }),
      // resolves at once; the campaign goes on in the background until this process dies
      campaign: async (args: CampaignArgs) => {
        leadership = self.campaign(args.election, { id: args.id, ttlMs: args.ttlMs })
        leadership.catch(() => {})
        return args.id
      },
      'await-leader': (args: AwaitLeaderArgs) => awaitLeader(self, args),
    },
  })
} catch (err) {
  failChild(err)
}
