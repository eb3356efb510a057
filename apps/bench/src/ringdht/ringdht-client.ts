/**
 * Child process: a ringdht client (`createClient`) that dials one member and
 * drives the put/get workload, like a user of the CLI or the library would. Gets read
 * a quorum (the default) unless RINGDHT_BENCH_CONSISTENCY is 'one'.
 */
import { createClient, type RingClient } from '@ringdht/peer'
import { equals } from 'uint8arrays/equals'
import type { ClientRunArgs } from '../drivers/mesh-driver.js'
import { failChild, guardChildLifetime, serveCommands } from '../harness/child-runtime.js'
import { readMemberArgs } from '../harness/member-args.js'
import { benchKey, benchValue, type OperationOutcome, runWorkload } from '../workload.js'
import {
  RINGDHT_NAMESPACE,
  type VerifyOwnerArgs,
  type VerifyOwnerResult,
} from './client-commands.js'

const consistency = process.env.RINGDHT_BENCH_CONSISTENCY === 'one' ? 'one' : 'quorum'
let client: RingClient | undefined
const stop = async (): Promise<void> => {
  await client?.close()
}
guardChildLifetime(stop)

async function put(self: RingClient, index: number, args: ClientRunArgs, signal: AbortSignal) {
  const key = benchKey(RINGDHT_NAMESPACE, args.runTag, index)
  const result = await self.put(key, benchValue(key, args.valueBytes), { signal })
  // one request to the dialled member, one per forward, one per extra replica written
  const extraReplicas = Math.max(0, (result.replicas ?? 1) - 1)
  const outcome: OperationOutcome = {
    ok: true,
    hops: result.hops,
    requests: 1 + result.hops + extraReplicas,
  }
  if (result.replicas !== undefined) outcome.copies = result.replicas
  return outcome
}

async function get(self: RingClient, index: number, args: ClientRunArgs, signal: AbortSignal) {
  const key = benchKey(RINGDHT_NAMESPACE, args.runTag, index)
  const result = await self.get(key, { signal, consistency })
  if (result === undefined) return { ok: false, error: 'not found' }
  if (!equals(result.value, benchValue(key, args.valueBytes)))
    return { ok: false, error: 'wrong value' }
  return { ok: true, hops: result.hops, requests: 1 + result.hops }
}

async function verifyOwner(self: RingClient, args: VerifyOwnerArgs): Promise<VerifyOwnerResult> {
  const served: number[] = []
  let wrongOwner = 0
  await runWorkload({
    count: args.indices.length,
    concurrency: args.concurrency,
    timeLimitMs: args.timeLimitMs,
    operationTimeoutMs: args.operationTimeoutMs,
    operation: async (position, signal) => {
      const index = args.indices[position]
      if (index === undefined) return { ok: false, error: 'index out of range' }
      const key = benchKey(RINGDHT_NAMESPACE, args.runTag, index)
      const result = await self.get(key, { signal, trace: true })
      if (result === undefined || !equals(result.value, benchValue(key, args.valueBytes))) {
        return { ok: false, error: 'missing or wrong value' }
      }
      if (result.path?.at(-1) !== args.owner) {
        wrongOwner++
        return { ok: false, error: 'served by another peer' }
      }
      served.push(index)
      return { ok: true }
    },
  })
  return { served, wrongOwner, failed: args.indices.length - served.length - wrongOwner }
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
      ring: async () =>
        (await self.ring({ signal: AbortSignal.timeout(10_000) })).map((member) => ({
          peerId: String(member.peerId),
          ringId: String(member.ringId),
          keyCount: member.keyCount,
          range: member.range,
        })),
      run: async (args: ClientRunArgs) =>
        runWorkload({
          ...args,
          operation: (index, signal) =>
            args.op === 'put'
              ? put(self, args.offset + index, args, signal)
              : get(self, args.offset + index, args, signal),
        }),
      'verify-owner': (args: VerifyOwnerArgs) => verifyOwner(self, args),
      rss: async () => process.memoryUsage().rss,
    },
  })
} catch (err) {
  failChild(err)
}
