/**
 * Child process: a @libp2p/kad-dht peer in client mode that dials one member
 * (like the ringdht client) and drives the put/get workload through the DHT.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryDatastore } from 'datastore-core'
import { equals } from 'uint8arrays/equals'
import { fromString } from 'uint8arrays/from-string'
import type { ClientRunArgs } from '../drivers/mesh-driver.js'
import { failChild, guardChildLifetime, serveCommands } from '../harness/child-runtime.js'
import { readMemberArgs } from '../harness/member-args.js'
import { benchKey, benchValue, type OperationOutcome, runWorkload } from '../workload.js'
import { BENCH_NAMESPACE, createKadNode, type KadNode, routingCommands } from './kad-config.js'

let node: KadNode | undefined
const stop = async (): Promise<void> => {
  await node?.stop()
}
guardChildLifetime(stop)

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}

async function put(self: KadNode, index: number, args: ClientRunArgs, signal: AbortSignal) {
  const key = benchKey(BENCH_NAMESPACE, args.runTag, index)
  const value = benchValue(key, args.valueBytes)
  let requests = 0
  let copies = 0
  let lastError: string | undefined
  for await (const event of self.services.dht.put(fromString(key), value, { signal })) {
    if (event.name === 'SEND_QUERY') requests++
    else if (event.name === 'PEER_RESPONSE' && event.messageName === 'PUT_VALUE') copies++
    else if (event.name === 'QUERY_ERROR') lastError = describe(event.error)
  }
  const outcome: OperationOutcome = { ok: copies > 0, requests, copies }
  if (copies === 0) outcome.error = lastError ?? 'no peer acknowledged the record'
  return outcome
}

async function get(self: KadNode, index: number, args: ClientRunArgs, signal: AbortSignal) {
  const key = benchKey(BENCH_NAMESPACE, args.runTag, index)
  const expected = benchValue(key, args.valueBytes)
  let requests = 0
  let remoteCopy = false
  let value: Uint8Array | undefined
  for await (const event of self.services.dht.get(fromString(key), { signal })) {
    if (event.name === 'SEND_QUERY') requests++
    else if (event.name === 'PEER_RESPONSE' && event.record !== undefined) {
      // the client stored its own copy when it put the key; only a remote one counts
      if (!event.from.equals(self.peerId) && equals(event.record.value, expected)) remoteCopy = true
    } else if (event.name === 'VALUE') value = event.value
  }
  const ok = remoteCopy && value !== undefined && equals(value, expected)
  const outcome: OperationOutcome = { ok, requests }
  if (!ok) outcome.error = remoteCopy ? 'wrong value' : 'no remote peer returned the record'
  return outcome
}

try {
  node = await createKadNode({ clientMode: true, datastore: new MemoryDatastore() })
  const self = node
  const { bootstrap } = readMemberArgs()
  if (bootstrap !== undefined) {
    await self.dial(multiaddr(bootstrap), { signal: AbortSignal.timeout(10_000) })
  }
  serveCommands({
    info: { peerId: self.peerId.toString() },
    stop,
    commands: {
      ...routingCommands(self),
      run: async (args: ClientRunArgs) =>
        runWorkload({
          ...args,
          operation: (index, signal) =>
            args.op === 'put'
              ? put(self, args.offset + index, args, signal)
              : get(self, args.offset + index, args, signal),
        }),
      rss: async () => process.memoryUsage().rss,
    },
  })
} catch (err) {
  failChild(err)
}
