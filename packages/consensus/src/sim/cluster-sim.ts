import { Acceptor } from '../acceptor.js'
import { compareBallots } from '../ballot.js'
import type { HistoryEntry } from '../checker/history.js'
import type { Configuration } from '../configuration.js'
import type { AcceptorReply, Outgoing, ProposerMessage } from '../messages.js'
import { Proposer } from '../proposer.js'
import { type ClientTiming, SimClient } from './client.js'
import { EventQueue } from './event-queue.js'
import { type NetworkInit, SimNetwork } from './network.js'
import { Reconfigurer, type SimAcceptor } from './reconfigurer.js'
import type { ScheduledFault, SimSchedule } from './schedule.js'

/**
 * Deliberate bugs, for tests that prove the checker catches them:
 * - minorityQuorum: a proposer decides on a single acceptor's answer;
 * - wipeKeepsIdentity: a wiped acceptor comes back under its old id with an empty state
 *   and votes at once, without a configuration change or catching up;
 * - skipStateTransfer: a joining acceptor votes at once with an empty state, and the
 *   change ends without fencing the old members or copying their state;
 * - promiseTwice: an acceptor promises a ballot it promised already again (so a proposer
 *   that restarted and forgot its counters can reuse a ballot its earlier self used).
 */
export type BrokenMode =
  | 'minorityQuorum'
  | 'wipeKeepsIdentity'
  | 'skipStateTransfer'
  | 'promiseTwice'

export interface ClusterSimInit {
  readonly seed: number
  readonly schedule: SimSchedule
  readonly network?: NetworkInit
  /** How long one round may run before the client abandons it. Default 120. */
  readonly attemptTimeout?: number
  /** How long an operation may take over all its rounds. Default 500. */
  readonly opDeadline?: number
  /** Largest pause between operations and before a retry. Default 30. */
  readonly maxPause?: number
  readonly broken?: BrokenMode
}

export const CLUSTER_SIM_DEFAULTS = { attemptTimeout: 120, opDeadline: 500, maxPause: 30 } as const

export interface ClusterSimResult {
  readonly history: readonly HistoryEntry[]
  readonly messages: number
  readonly virtualTime: number
  readonly reconfigurations: number
  readonly finalEpoch: number
}

/**
 * Runs one seeded schedule: acceptors, proposers driven by clients, a lossy network,
 * crashes, wipes and replacements, all on a virtual clock. Same seed and schedule, same
 * history.
 */
export function runClusterSim(init: ClusterSimInit): ClusterSimResult {
  const { schedule } = init
  const queue = new EventQueue()
  const network = new SimNetwork(queue, init.seed, init.network)
  const acceptors = new Map<string, SimAcceptor>()
  const skipStateTransfer = init.broken === 'skipStateTransfer'
  const addAcceptor = (id: string, catchingUp: boolean): void => {
    const acceptor = new Acceptor({ id, catchingUp: catchingUp && !skipStateTransfer })
    acceptors.set(id, { acceptor, up: true, dead: false })
  }
  const initial = Array.from({ length: schedule.acceptors }, (_, i) => `a${i}`)
  for (const id of initial) addAcceptor(id, false)
  let config: Configuration = { epoch: 0, members: initial }
  const reconfigurer = new Reconfigurer({
    queue,
    acceptor: (id) => acceptors.get(id),
    send: (name, deliver) => network.send(name, deliver),
    config: () => config,
    setConfig: (next) => {
      config = next
    },
    skipStateTransfer,
  })

  const history: HistoryEntry[] = []
  const clients = new Map<string, SimClient>()
  const timing: ClientTiming = {
    attemptTimeout: init.attemptTimeout ?? CLUSTER_SIM_DEFAULTS.attemptTimeout,
    opDeadline: init.opDeadline ?? CLUSTER_SIM_DEFAULTS.opDeadline,
    maxPause: init.maxPause ?? CLUSTER_SIM_DEFAULTS.maxPause,
  }
  const receive = (acceptor: Acceptor, message: ProposerMessage): AcceptorReply => {
    const current = acceptor.keyState(message.key)
    if (
      init.broken === 'promiseTwice' &&
      message.type === 'prepare' &&
      !acceptor.catchingUp &&
      compareBallots(current.promised, message.ballot) === 0
    ) {
      const { key, ballot, round } = message
      const { accepted, state } = current
      return { type: 'promise', key, ballot, round, from: acceptor.id, accepted, state }
    }
    return acceptor.receive(message)
  }
  const send = (
    name: string,
    outgoing: Outgoing,
    onReply: (reply: AcceptorReply) => void,
  ): void => {
    let copy = 0
    network.send(name, () => {
      const node = acceptors.get(outgoing.to)
      if (node === undefined || !node.up || node.dead) return
      const reply = receive(node.acceptor, outgoing.message)
      // A duplicated request gets its own answer, with its own fate.
      network.send(`${name}<${copy++}`, () => onReply(reply))
    })
  }
  const newProposer = (p: number) =>
    new Proposer(
      { id: `p${p}`, fastPath: schedule.fastPath, thrifty: schedule.thrifty },
      { isQuorum: brokenQuorum(init.broken) },
    )
  for (let p = 0; p < schedule.proposers; p++) {
    const proposer = newProposer(p)
    const ops = schedule.ops.filter((op) => op.proposer === p)
    const client = new SimClient(
      proposer,
      ops,
      {
        queue,
        seed: init.seed,
        send,
        currentConfig: () => config,
        record: (entry) => history.push(entry),
      },
      timing,
    )
    clients.set(proposer.id, client)
  }

  let nextAcceptor = schedule.acceptors
  const inject = (fault: ScheduledFault): void => {
    const candidates = config.members.filter((id) => !acceptors.get(id)?.dead)
    const id = candidates[fault.member % Math.max(1, candidates.length)]
    const node = id === undefined ? undefined : acceptors.get(id)
    if (id === undefined || node === undefined) return
    if (fault.kind === 'crash') {
      node.up = false
      queue.after(fault.downFor, () => {
        node.up = true
      })
    } else if (fault.kind === 'wipe' && init.broken === 'wipeKeepsIdentity') {
      node.up = false
      queue.after(fault.downFor, () => addAcceptor(id, false))
    } else if (fault.kind === 'wipe') {
      // The disk is gone: this identity is retired; the machine returns as a new acceptor.
      node.up = false
      node.dead = true
      queue.after(fault.downFor, () => {
        const joining = `a${nextAcceptor++}`
        addAcceptor(joining, true)
        reconfigurer.replace({ leaving: id, joining })
      })
    } else {
      const joining = `a${nextAcceptor++}`
      addAcceptor(joining, true)
      reconfigurer.replace({ leaving: id, joining })
    }
  }
  for (const fault of schedule.faults) queue.after(fault.at, () => inject(fault))
  for (const { at, proposer } of schedule.proposerRestarts) {
    queue.after(at, () => clients.get(`p${proposer}`)?.restart(newProposer(proposer)))
  }

  for (const client of clients.values()) client.start()
  const allFinished = (): boolean => [...clients.values()].every((c) => c.finished)
  while (!allFinished() && queue.step()) {
    // run until every client has completed its operations
  }
  return {
    history,
    messages: network.sent,
    virtualTime: queue.now,
    reconfigurations: reconfigurer.completed,
    finalEpoch: config.epoch,
  }
}

function brokenQuorum(
  broken: BrokenMode | undefined,
): ((config: Configuration, ids: ReadonlySet<string>) => boolean) | undefined {
  if (broken === 'minorityQuorum') return (_config, ids) => ids.size >= 1
  return undefined
}
