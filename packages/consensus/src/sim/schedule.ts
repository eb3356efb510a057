import type { ModelOperation } from '../checker/history.js'
import { Prng } from './prng.js'

/**
 * A client operation in the workload. `casAfterRead` is a CAS whose expected value is
 * whatever this proposer last read or wrote on the key, decided when it runs, the way
 * real clients use CAS (so many of them match).
 */
export type ScheduledOperation =
  | ModelOperation
  | { readonly kind: 'casAfterRead'; readonly next: string }

export interface ScheduledOp {
  readonly id: number
  /** When the client invokes it; a client's operations may overlap when one runs long. */
  readonly at: number
  readonly proposer: number
  readonly key: string
  readonly operation: ScheduledOperation
}

/**
 * - crash: the acceptor stops (messages to it are lost) and comes back with its state.
 * - wipe: it stops and comes back with an empty disk, as a new acceptor id that must be
 *   brought in by a joint-quorum change and catch up before it votes.
 * - replace: a fresh acceptor replaces one member through a joint-quorum change.
 * `member` picks, modulo the replica set's size at that moment, which member.
 */
export interface ScheduledFault {
  readonly id: number
  readonly at: number
  readonly kind: 'crash' | 'wipe' | 'replace'
  readonly member: number
  readonly downFor: number
}

/**
 * A proposer process restarts: it forgets every round in flight (their operations end
 * indeterminate), its ballot counters and any promise it held for a fast round, and comes
 * back under the same id. Answers sent to the old process are lost with it.
 */
export interface ProposerRestart {
  readonly at: number
  readonly proposer: number
}

export interface SimSchedule {
  readonly acceptors: number
  /** Whether proposers use the one-round-trip optimisation (ProposerInit.fastPath). */
  readonly fastPath: boolean
  /** Whether proposers ask only a quorum per phase (ProposerInit.thrifty). */
  readonly thrifty: boolean
  readonly proposers: number
  readonly keys: readonly string[]
  readonly ops: readonly ScheduledOp[]
  readonly faults: readonly ScheduledFault[]
  readonly proposerRestarts: readonly ProposerRestart[]
}

export interface ScheduleInit {
  /** Acceptors in the first replica set; default: 3 or 5, chosen by the seed. */
  acceptors?: number
  /** Default 3. */
  proposers?: number
  /** Proposers use the one-round-trip optimisation. Default: on for half the seeds. */
  fastPath?: boolean
  /** Proposers ask only a quorum per phase. Default: on for half the seeds. */
  thrifty?: boolean
  /** Keys the operations are spread over. Default 3. */
  keys?: number
  /** Operations each proposer runs one after another. Default 12. */
  opsPerProposer?: number
  /** Faults spread over the run. Default: 0 to 4, chosen by the seed. */
  faults?: number
  /** Virtual time over which faults are spread. Default 1500. */
  faultWindow?: number
  /** Proposer restarts spread over the fault window. Default: 0 to 2, chosen by the seed. */
  proposerRestarts?: number
}

const VALUES = ['00', '01', '02', '03']

/** The workload and the fault plan of one seed. */
export function generateSchedule(seed: number, init: ScheduleInit = {}): SimSchedule {
  const prng = new Prng(seed).fork(0x5c4ed)
  const acceptors = init.acceptors ?? (prng.chance(0.5) ? 3 : 5)
  const fastPath = init.fastPath ?? prng.chance(0.5)
  const proposers = init.proposers ?? 3
  const keys = Array.from({ length: init.keys ?? 3 }, (_, i) => `k${i}`)
  const opsPerProposer = init.opsPerProposer ?? 12
  const ops: ScheduledOp[] = []
  for (let p = 0; p < proposers; p++) {
    let at = prng.below(30)
    for (let i = 0; i < opsPerProposer; i++) {
      const operation = randomOp(prng)
      ops.push({ id: ops.length, at, proposer: p, key: prng.pick(keys), operation })
      at += 30 + prng.below(150)
    }
  }
  const faultCount = init.faults ?? prng.between(0, 4)
  const window = init.faultWindow ?? 1500
  const faults: ScheduledFault[] = []
  for (let i = 0; i < faultCount; i++) {
    const roll = prng.next()
    faults.push({
      id: i,
      at: prng.below(window),
      kind: roll < 0.5 ? 'crash' : roll < 0.75 ? 'wipe' : 'replace',
      member: prng.below(acceptors),
      downFor: prng.between(20, 400),
    })
  }
  faults.sort((a, b) => a.at - b.at || a.id - b.id)
  // a stream of their own, so adding restarts left every other draw of a seed as it was
  const restartPrng = new Prng(seed).fork(0x4e57a7)
  const proposerRestarts = Array.from(
    { length: init.proposerRestarts ?? restartPrng.between(0, 2) },
    () => ({ at: restartPrng.below(window), proposer: restartPrng.below(proposers) }),
  ).sort((a, b) => a.at - b.at)
  // a stream of its own too, so that every seed's other draws stayed as they were
  const thrifty = init.thrifty ?? new Prng(seed).fork(0x7411f7).chance(0.5)
  return { acceptors, fastPath, thrifty, proposers, keys, ops, faults, proposerRestarts }
}

function randomOp(prng: Prng): ScheduledOperation {
  const roll = prng.next()
  if (roll < 0.3) return { kind: 'read' }
  if (roll < 0.55) return { kind: 'casAfterRead', next: prng.pick(VALUES) }
  if (roll < 0.7) {
    const expected = prng.chance(0.2) ? undefined : prng.pick(VALUES)
    return { kind: 'cas', expected, next: prng.pick(VALUES) }
  }
  if (roll < 0.85) return { kind: 'write', value: prng.pick(VALUES) }
  return { kind: 'append', byte: prng.below(256) }
}
