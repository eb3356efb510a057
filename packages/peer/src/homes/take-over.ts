import type { RingNode } from '../core/ring-node.js'
import { FencedError, QuorumNotReachedError } from '../errors.js'
import type { HomeStart, LogConfiguration } from './home-log.js'
import { sealed } from './quorums.js'
import type { Entry, ReplicaLogs, ReplicaState } from './replica-log.js'

/** What taking a log over needs from its capability (see HomeLogs). */
export interface TakeOverDeps {
  readonly key: Uint8Array
  readonly replicas: ReplicaLogs
  readonly selfKey: string
  readonly writeQuorum: number
  readonly requestTimeoutMs: number
  readonly pageEntries: number
  readonly pageBytes: number
  configuration(): LogConfiguration
  /** A new epoch for the log, above every epoch any home of it ever held (a register CAS). */
  nextEpoch(signal: AbortSignal): Promise<number>
  /** Seal at a replica: it promises `epoch` and answers its state; FencedError if it cannot. */
  sendSeal(node: RingNode, epoch: number, signal: AbortSignal): Promise<ReplicaState>
  /** A page of a replica's entries from `from`. */
  readFrom(node: RingNode, from: number, signal: AbortSignal): Promise<Entry[]>
}

/**
 * Take a log over as its new home, before serving it:
 * 1. take a new epoch (through consensus: no other home ever holds it);
 * 2. seal the log at enough of every replica set (the set before a ring change and after
 *    it) that every write quorum meets a sealed replica: from then on the old home cannot
 *    get a write acknowledged, and some sealed replica holds every acknowledged entry;
 * 3. adopt the most advanced tail found (highest epoch of its last entry, then longest:
 *    Raft's up-to-date rule), copying it into the local log under the new epoch and
 *    dropping whatever local entries follow it.
 * The caller then re-replicates the adopted tail (the home's followers do) and serves
 * once it is committed. Returns the epoch and the commit point known so far.
 */
export async function takeOver(deps: TakeOverDeps, signal: AbortSignal): Promise<HomeStart> {
  const { replicas, key, selfKey } = deps
  const epoch = await deps.nextEpoch(signal)
  const own = await replicas.seal(key, epoch)
  if (own.fenced) throw new FencedError(`this member already promised a newer epoch of the log`)
  const states = new Map<string, ReplicaState>([[selfKey, own.state]])
  const configuration = deps.configuration()
  const fencedBy = await sealQuorum(deps, configuration, epoch, states, signal)
  if (fencedBy !== undefined) throw fencedBy
  let best = selfKey
  let commit = 0
  for (const [peer, state] of states) {
    commit = Math.max(commit, state.commit)
    const top = states.get(best) as ReplicaState
    if (
      state.lastEpoch > top.lastEpoch ||
      (state.lastEpoch === top.lastEpoch && state.lastSeq > top.lastSeq)
    ) {
      best = peer
    }
  }
  const tail = states.get(best) as ReplicaState
  await adopt(
    deps,
    epoch,
    best === selfKey ? undefined : configuration.nodes.get(best),
    tail,
    signal,
  )
  return { epoch, commit }
}

/** Seal at every member of the configuration at once; resolve once a seal quorum answered. */
function sealQuorum(
  deps: TakeOverDeps,
  configuration: LogConfiguration,
  epoch: number,
  states: Map<string, ReplicaState>,
  signal: AbortSignal,
): Promise<FencedError | undefined> {
  const { sets, nodes } = configuration
  const promised = new Set(states.keys())
  if (sealed(sets, promised, deps.writeQuorum)) return Promise.resolve(undefined)
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(deps.requestTimeoutMs)])
  return new Promise((resolve) => {
    let pending = 0
    let done = false
    const finish = (result: FencedError | undefined) => {
      if (!done) resolve(result)
      done = true
    }
    for (const [peer, node] of nodes) {
      if (peer === deps.selfKey) continue
      pending++
      deps
        .sendSeal(node, epoch, deadline)
        .then(
          (state) => {
            states.set(peer, state)
            promised.add(peer)
            if (sealed(sets, promised, deps.writeQuorum)) finish(undefined)
          },
          (err: unknown) => {
            if (err instanceof FencedError) finish(err)
          },
        )
        .finally(() => {
          if (--pending === 0) {
            finish(
              new QuorumNotReachedError(
                `too few of the log's replicas answered its seal (${promised.size} of ${nodes.size}); nothing changed`,
              ) as unknown as FencedError,
            )
          }
        })
    }
  }).then((result) => {
    if (result instanceof QuorumNotReachedError) throw result
    return result as FencedError | undefined
  })
}

/**
 * Make the local log end exactly where `tail` (the state of the most advanced sealed
 * replica, `from`; undefined: this member's own) ends, with every entry after the local
 * commit point stamped with the new epoch.
 */
async function adopt(
  deps: TakeOverDeps,
  epoch: number,
  from: RingNode | undefined,
  tail: ReplicaState,
  signal: AbortSignal,
): Promise<void> {
  const { replicas, key } = deps
  const local = replicas.state(key)
  // up to its own commit point the local log is the committed one
  let next = Math.max(local.commit + 1, from === undefined ? local.firstSeq : tail.firstSeq)
  let reset = next > local.lastSeq + 1 || next < local.firstSeq
  // restamping its own entries rewrites them, and a rewrite drops what follows: read first
  const own =
    from === undefined && next <= tail.lastSeq
      ? replicas.read(key, next, Number.MAX_SAFE_INTEGER, Infinity, tail.lastSeq)
      : undefined
  while (next <= tail.lastSeq) {
    signal.throwIfAborted()
    const page = own ?? (await deps.readFrom(from as RingNode, next, signal))
    const entries = page.filter((entry) => entry.seq <= tail.lastSeq)
    if (entries.length === 0) break
    const prevSeq = next - 1
    const outcome = await replicas.append(key, {
      epoch,
      prevSeq,
      prevEpoch: reset ? 0 : (replicas.entryAt(key, prevSeq)?.epoch ?? 0),
      entries: entries.map((entry) => ({ ...entry, epoch })),
      commit: 0,
      retainFrom: 0,
    })
    if (outcome.kind === 'fenced') throw new FencedError('a newer home of the log took it over')
    reset = false
    next = (entries.at(-1) as Entry).seq + 1
  }
  await replicas.truncateAfter(key, tail.lastSeq)
}
