import { Acceptor } from '../acceptor.js'
import type { Configuration } from '../configuration.js'
import {
  acquireLock,
  decodeLockState,
  isFree,
  type LockState,
  lockOperation,
  renewLock,
} from '../lock.js'
import type { Outgoing } from '../messages.js'
import { Proposer, type RoundOutcome } from '../proposer.js'
import { changeOf } from '../register.js'
import {
  ElectionEnv,
  type ElectionReport,
  type ElectionSimInit,
  electionSettings,
  sampleSplitBrain,
} from './election-common.js'

interface Candidate {
  readonly id: string
  readonly proposer: Proposer
  state: 'running' | 'crashed' | 'paused'
  /** It believes it leads while now < leaseUntil (the lease it was granted, from its request time). */
  leaseUntil: number
  token: number
  knownLeader: string | undefined
  busy: boolean
}

interface Grant {
  readonly token: number
  readonly holder: string
  readonly requestedAt: number
  expiresAt: number
}

const LOCK_KEY = 'election/leader'

/**
 * Lease election on the CASPaxos register, with the real acceptors and proposers: every
 * node polls `acquire` (the holder `renew`) every `pollInterval`; whoever the lock names
 * leads until its lease ends. Checks that fencing tokens only grow and leases never overlap.
 */
export function runLeaseElection(init: ElectionSimInit = {}): ElectionReport {
  const settings = electionSettings(init)
  const env = new ElectionEnv(settings)
  const { queue } = env
  const replicaIds = Array.from({ length: settings.replicas }, (_, i) => `r${i}`)
  const acceptors = new Map(replicaIds.map((id) => [id, new Acceptor({ id })]))
  const config: Configuration = { epoch: 0, members: replicaIds }
  const candidates = new Map<string, Candidate>()
  for (let i = 0; i < settings.nodes; i++) {
    const id = `n${String(i).padStart(3, '0')}`
    const proposer = new Proposer({ id })
    candidates.set(id, {
      id,
      proposer,
      state: 'running',
      leaseUntil: 0,
      token: 0,
      knownLeader: undefined,
      busy: false,
    })
  }
  const grants: Grant[] = []
  let tokenViolations = 0
  let highestToken = 0
  let oldLeader: string | undefined

  const toCandidate = (candidate: Candidate, run: () => void): void => {
    if (candidate.state === 'crashed') return
    if (candidate.state === 'paused') {
      queue.after(settings.failAt + settings.pauseFor - queue.now, () =>
        toCandidate(candidate, run),
      )
      return
    }
    run()
  }
  const send = (candidate: Candidate, outgoing: Outgoing, settle: (o: RoundOutcome) => void) => {
    env.send(() => {
      const reply = acceptors.get(outgoing.to)?.receive(outgoing.message)
      if (reply === undefined) return
      env.send(() =>
        toCandidate(candidate, () => {
          const step = candidate.proposer.receive(reply)
          for (const next of step.messages) send(candidate, next, settle)
          if (step.outcome !== undefined) settle(step.outcome)
        }),
      )
    })
  }
  /**
   * One attempt: the holder renews every `pollInterval`; the others sleep until the lease
   * they saw runs out and only then try to acquire, so they do not duel with the holder.
   */
  const poll = (candidate: Candidate): void => {
    if (candidate.state === 'crashed') return
    if (candidate.state === 'paused' || candidate.busy) {
      queue.after(settings.pollInterval, () => poll(candidate))
      return
    }
    const requestedAt = queue.now
    const request = {
      holder: candidate.id,
      now: requestedAt,
      leaseDuration: settings.leaseDuration,
    }
    const believes = requestedAt < candidate.leaseUntil
    const transition = (state: LockState) =>
      believes ? renewLock(state, request) : acquireLock(state, request)
    const operation = changeOf(lockOperation(transition))
    const { round, step } = candidate.proposer.start(LOCK_KEY, operation, config)
    candidate.busy = true
    const settle = (outcome: RoundOutcome): void => {
      if (!candidate.busy) return
      candidate.busy = false
      if (outcome.kind !== 'decided') {
        queue.after(10 + env.prng.below(50), () => poll(candidate))
        return
      }
      const lock = decodeLockState(outcome.next.value)
      if (lock.holder === candidate.id && queue.now < lock.leaseExpiresAt) {
        recordGrant(candidate, lock, requestedAt)
        queue.after(settings.pollInterval, () => poll(candidate))
      } else {
        candidate.leaseUntil = 0
        candidate.knownLeader = isFree(lock, requestedAt) ? undefined : lock.holder
        const wait = Math.max(1, lock.leaseExpiresAt - queue.now) + env.prng.below(20)
        queue.after(Math.min(wait, settings.leaseDuration + 20), () => poll(candidate))
      }
    }
    for (const outgoing of step.messages) send(candidate, outgoing, settle)
    queue.after(6 * settings.maxDelay, () => {
      const outcome = candidate.proposer.abandon(round)
      if (outcome !== undefined) settle(outcome)
    })
  }
  const recordGrant = (candidate: Candidate, lock: LockState, requestedAt: number): void => {
    candidate.leaseUntil = lock.leaseExpiresAt
    candidate.knownLeader = candidate.id
    if (lock.token !== candidate.token) {
      if (lock.token <= highestToken) tokenViolations++
      highestToken = Math.max(highestToken, lock.token)
      grants.push({
        token: lock.token,
        holder: candidate.id,
        requestedAt,
        expiresAt: lock.leaseExpiresAt,
      })
      candidate.token = lock.token
    } else {
      const grant = grants.find((g) => g.token === lock.token)
      if (grant !== undefined) grant.expiresAt = lock.leaseExpiresAt
    }
  }
  for (const candidate of candidates.values())
    queue.after(env.prng.below(settings.pollInterval), () => poll(candidate))

  queue.after(settings.failAt, () => {
    // The leader is whoever the register granted the lock to last (its lease may be
    // lapsing at this very moment; it still counts as the one that fails).
    const holder = grants[grants.length - 1]?.holder
    const leader = holder === undefined ? undefined : candidates.get(holder)
    if (leader === undefined) return
    oldLeader = leader.id
    leader.state = settings.scenario === 'crash' ? 'crashed' : 'paused'
    if (settings.scenario === 'pause')
      queue.after(settings.pauseFor, () => {
        leader.state = 'running'
      })
  })

  let steadyFrom = 0
  let sentAtFail = 0
  let timeToNewLeader: number | undefined
  let timeToAgreement: number | undefined
  let electionMessages = 0
  const running = () => [...candidates.values()].filter((c) => c.state === 'running')
  const splitBrain = sampleSplitBrain(
    env,
    () => running().filter((c) => queue.now < c.leaseUntil).length,
    (now) => {
      if (now === settings.failAt / 4) steadyFrom = env.sent
      if (now === settings.failAt) sentAtFail = env.sent
      if (now <= settings.failAt || oldLeader === undefined) return
      const live = running().filter((c) => c.id !== oldLeader)
      const leader = live.find((c) => now < c.leaseUntil)
      if (timeToNewLeader === undefined && leader !== undefined)
        timeToNewLeader = now - settings.failAt
      if (
        timeToAgreement === undefined &&
        leader !== undefined &&
        live.every((c) => c.knownLeader === leader.id)
      ) {
        timeToAgreement = now - settings.failAt
        electionMessages = env.sent - sentAtFail
      }
    },
  )
  while (queue.now <= settings.duration && queue.step()) {
    // polling never ends; stop at the configured duration
  }

  const sorted = [...grants].sort((a, b) => a.token - b.token)
  let overlappingGrants = 0
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1] as Grant
    const grant = sorted[i] as Grant
    if (grant.token === previous.token || grant.requestedAt < previous.expiresAt)
      overlappingGrants++
  }
  return {
    strategy: 'lease',
    scenario: settings.scenario,
    timeToNewLeader,
    timeToAgreement,
    electionMessages,
    steadyMessagesPer1000: ((sentAtFail - steadyFrom) * 1000) / ((settings.failAt * 3) / 4),
    splitBrainTime: splitBrain(),
    tokenViolations,
    overlappingGrants,
  }
}
