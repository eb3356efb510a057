import { inHalfOpenInterval, ringIdOf, SortedRing } from '@ringdht/ring'
import type { ClientRunArgs, MemberArgs } from '../drivers/mesh-driver.js'
import { cpuProfArgs } from '../harness/cpu-prof.js'
import { type BenchChild, ProcessGroup } from '../harness/process-group.js'
import { WaitTimeoutError, waitFor } from '../harness/wait.js'
import type { JoinResult } from '../results.js'
import { round } from '../stats.js'
import { benchKey, type WorkloadResult } from '../workload.js'
import {
  RINGDHT_NAMESPACE,
  type VerifyOwnerArgs,
  type VerifyOwnerResult,
} from './client-commands.js'
import { toRingHex, toRingId } from './contract.js'
import { ringdhtSpec } from './ringdht-spec.js'

export interface JoinInit {
  ringNodes: number
  keys: number
  valueBytes: number
  /** Concurrency of the bulk load and of the verification gets. */
  concurrency: number
  phaseTimeLimitMs: number
  operationTimeoutMs: number
  settleTimeoutMs: number
  cpuProfDir?: string
  progress?: (line: string) => void
}

const JOIN_TAG = 'join'

interface MemberStatus {
  keyCount: number
  range?: { start: string; end: string }
}

function firstAddr(child: BenchChild): string {
  const addrs = child.info.multiaddrs as string[] | undefined
  const addr = addrs?.[0]
  if (addr === undefined) throw new Error(`${child.name} reported no multiaddr`)
  return addr
}

/**
 * Key movement and time to join: a ring of `ringNodes` members holds `keys`
 * keys; one more peer joins. Reports how many keys it became owner of, when it
 * held them, and when a client's gets for every one of them were answered by it.
 */
export async function runJoin(init: JoinInit): Promise<JoinResult> {
  const group = new ProcessGroup()
  const say = init.progress ?? (() => {})
  try {
    const members: BenchChild[] = []
    for (let i = 0; i < init.ringNodes; i++) {
      const args: MemberArgs = members[0] === undefined ? {} : { bootstrap: firstAddr(members[0]) }
      members.push(
        await group.spawn({
          name: `join-ring-${i}`,
          script: ringdhtSpec.memberScript,
          args: [JSON.stringify(args)],
          execArgv: cpuProfArgs(init.cpuProfDir, `join-ring-${i}`),
        }),
      )
    }
    const first = members[0]
    if (first === undefined) throw new Error('no members')
    await ringdhtSpec.settleMembers(members, init.settleTimeoutMs)
    const client = await group.spawn({
      name: 'join-client',
      script: ringdhtSpec.clientScript,
      args: [JSON.stringify({ bootstrap: firstAddr(first) } satisfies MemberArgs)],
      execArgv: cpuProfArgs(init.cpuProfDir, 'join-client'),
    })
    await ringdhtSpec.settleClient(client, members, init.settleTimeoutMs)

    const load: ClientRunArgs = {
      op: 'put',
      runTag: JOIN_TAG,
      offset: 0,
      count: init.keys,
      concurrency: init.concurrency,
      valueBytes: init.valueBytes,
      timeLimitMs: init.phaseTimeLimitMs,
      operationTimeoutMs: init.operationTimeoutMs,
    }
    const loaded = await client.request<WorkloadResult>('run', load, {
      timeoutMs: init.phaseTimeLimitMs + 60_000,
    })
    say(`join: loaded ${loaded.completed}/${init.keys} keys at ${loaded.opsPerSec} ops/s`)
    if (loaded.completed !== init.keys) {
      throw new Error(`bulk load stored ${loaded.completed} of ${init.keys} keys`)
    }
    const positions = Array.from({ length: init.keys }, (_, i) =>
      ringIdOf(benchKey(RINGDHT_NAMESPACE, JOIN_TAG, i)),
    )

    const started = performance.now()
    const joiner = await group.spawn({
      name: 'joiner',
      script: ringdhtSpec.memberScript,
      args: [JSON.stringify({ bootstrap: firstAddr(first) } satisfies MemberArgs)],
      execArgv: cpuProfArgs(init.cpuProfDir, 'joiner'),
    })
    const secondsUntilJoined = (performance.now() - started) / 1000
    const owner = String(joiner.info.peerId)

    // the keys the joiner must own, from the global view of the ring: (predecessor, joiner]
    const joinerId = toRingId(String(joiner.info.ringId))
    const ring = new SortedRing([...members.map((m) => toRingId(String(m.info.ringId))), joinerId])
    const predecessor = ring.predecessor(joinerId)
    const owned = positions.flatMap((id, i) =>
      inHalfOpenInterval(id, predecessor, joinerId) ? [i] : [],
    )
    const served = new Set<number>()
    let heldAt: number | undefined
    let wrongOwner = 0
    let note: string | undefined
    const deadline = init.settleTimeoutMs + init.phaseTimeLimitMs
    try {
      await waitFor(
        async () => {
          const status = await joiner.request<MemberStatus>('status')
          // until the joiner knows its true predecessor, its own range is not final
          const start = status.range === undefined ? undefined : toRingHex(status.range.start)
          if (start !== toRingHex(predecessor) || status.keyCount < owned.length) {
            return {
              done: false,
              detail: `range starts at ${start ?? '?'} (ring: ${toRingHex(predecessor)}), holds ${status.keyCount} of ${owned.length}`,
            }
          }
          heldAt ??= performance.now()
          const pending = owned.filter((i) => !served.has(i))
          const verify: VerifyOwnerArgs = {
            runTag: JOIN_TAG,
            indices: pending,
            valueBytes: init.valueBytes,
            owner,
            concurrency: init.concurrency,
            timeLimitMs: init.phaseTimeLimitMs,
            operationTimeoutMs: init.operationTimeoutMs,
          }
          const result = await client.request<VerifyOwnerResult>('verify-owner', verify, {
            timeoutMs: init.phaseTimeLimitMs + 30_000,
          })
          for (const i of result.served) served.add(i)
          wrongOwner = result.wrongOwner
          return {
            done: owned.every((i) => served.has(i)),
            detail: `${served.size}/${owned.length} served by the new owner`,
          }
        },
        { timeoutMs: deadline, intervalMs: 100, description: 'the joined peer to serve its keys' },
      )
    } catch (err) {
      if (!(err instanceof WaitTimeoutError)) throw err
      note = err.message
    }
    const finished = performance.now()
    const result: JoinResult = {
      ringNodes: init.ringNodes,
      keys: init.keys,
      keysMoved: owned.length,
      secondsUntilJoined: round(secondsUntilJoined, 3),
      secondsUntilServed: round((finished - started) / 1000, 3),
      verifyFailures: owned.length - served.size,
      wrongOwner,
    }
    if (heldAt !== undefined) result.secondsUntilHeld = round((heldAt - started) / 1000, 3)
    if (note !== undefined) result.note = note
    return result
  } finally {
    await group.stopAll()
  }
}
