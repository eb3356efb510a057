import { EventQueue } from './event-queue.js'
import { Prng } from './prng.js'

export interface ElectionSimInit {
  /** Seed for delays and jitter. Default 1. */
  seed?: number
  /** Nodes in the group. Default 5. */
  nodes?: number
  /** 'crash': the leader stops for good; 'pause': it freezes for `pauseFor`, then resumes. Default 'crash'. */
  scenario?: 'crash' | 'pause'
  /** When the leader fails. Default 2000. */
  failAt?: number
  /** How long a paused leader stays frozen. Default 1500. */
  pauseFor?: number
  /** How long the run lasts. Default 6000. */
  duration?: number
  /** One-way message delay bounds. Defaults 1 and 10. */
  minDelay?: number
  maxDelay?: number
  /** Bully: heartbeat period of the coordinator. Default 50. */
  heartbeatInterval?: number
  /** Bully: silence after which a member suspects the coordinator. Default 150. */
  failureTimeout?: number
  /** Lease: lease length. Default 300. */
  leaseDuration?: number
  /** Lease: how often the holder renews and the others try to acquire. Default 100. */
  pollInterval?: number
  /** Lease: acceptors holding the lock register. Default 3. */
  replicas?: number
}

export const ELECTION_DEFAULTS = {
  seed: 1,
  nodes: 5,
  scenario: 'crash',
  failAt: 2000,
  pauseFor: 1500,
  duration: 6000,
  minDelay: 1,
  maxDelay: 10,
  heartbeatInterval: 50,
  failureTimeout: 150,
  leaseDuration: 300,
  pollInterval: 100,
  replicas: 3,
} as const

export type ElectionSettings = Required<ElectionSimInit>

export interface ElectionReport {
  readonly strategy: 'lease' | 'bully'
  readonly scenario: 'crash' | 'pause'
  /** From the failure until a new node believes it leads. */
  readonly timeToNewLeader: number | undefined
  /** From the failure until every running node agrees on that leader. */
  readonly timeToAgreement: number | undefined
  /** Messages sent from the failure until agreement. */
  readonly electionMessages: number
  /** Messages per 1000 time units before the failure (heartbeats or lease polling). */
  readonly steadyMessagesPer1000: number
  /** Total time with two or more running nodes believing they lead. */
  readonly splitBrainTime: number
  /** Lease only: grants with the same or a lower token than an earlier grant (must be 0). */
  readonly tokenViolations: number
  /** Lease only: grants whose lease overlaps the previous grant's (must be 0). */
  readonly overlappingGrants: number
}

export function electionSettings(init: ElectionSimInit): ElectionSettings {
  return { ...ELECTION_DEFAULTS, ...stripUndefined(init) }
}

/** The clock, delays and message counter both strategies share. */
export class ElectionEnv {
  readonly queue = new EventQueue()
  readonly prng: Prng
  readonly settings: ElectionSettings
  sent = 0

  constructor(settings: ElectionSettings) {
    this.settings = settings
    this.prng = new Prng(settings.seed).fork(0xe1ec)
  }

  send(deliver: () => void): void {
    this.sent++
    this.queue.after(this.prng.between(this.settings.minDelay, this.settings.maxDelay), deliver)
  }
}

/**
 * Measures split brain by sampling every time unit: `believers(t)` says how many running
 * nodes believe they lead at time t.
 */
export function sampleSplitBrain(
  env: ElectionEnv,
  believers: () => number,
  onSample: (now: number) => void,
): () => number {
  let splitBrain = 0
  const sample = (): void => {
    if (believers() >= 2) splitBrain++
    onSample(env.queue.now)
    if (env.queue.now < env.settings.duration) env.queue.after(1, sample)
  }
  env.queue.after(0, sample)
  return () => splitBrain
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
