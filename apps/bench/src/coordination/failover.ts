/**
 * Time to a new leader after a SIGKILL. ringdht: campaigners (client processes) in one
 * lease election; the leading one is killed and an observer times until another leads,
 * which is at most the lease after its last renewal. etcd: the raft leader member is
 * killed (the leadership etcd's own clients fail over from), then started again.
 */
import type { BenchChild } from '../harness/process-group.js'
import { round } from '../stats.js'
import type { EtcdCluster } from './etcd-cluster.js'
import type { AwaitLeaderArgs, CampaignArgs } from './ringdht-coordination-client.js'

export interface RingdhtFailoverInit {
  spawnCampaigner: (id: string) => Promise<BenchChild>
  stop: (child: BenchChild) => Promise<void>
  /** A client that observes the election. */
  observer: BenchChild
  election: string
  options: {
    electionTtlMs: number
    observeIntervalMs: number
    failoverTrials: number
    settleTimeoutMs: number
  }
}

/** Campaigners in the election at any time: the leader and two waiting to take over. */
const CAMPAIGNERS = 3

/** Kills the leading campaigner and times until the observer names another; n times. */
export async function ringdhtFailover(init: RingdhtFailoverInit): Promise<number[]> {
  const { election, options } = init
  const campaigners = new Map<string, BenchChild>()
  let nextId = 0
  const addCampaigner = async () => {
    const id = `campaigner-${nextId++}`
    const child = await init.spawnCampaigner(id)
    const args: CampaignArgs = { election, id, ttlMs: options.electionTtlMs }
    await child.request('campaign', args)
    campaigners.set(id, child)
  }
  const awaitLeader = (from?: string) => {
    const args: AwaitLeaderArgs = {
      election,
      ...(from === undefined ? {} : { from }),
      intervalMs: options.observeIntervalMs,
      timeoutMs: options.settleTimeoutMs,
    }
    return init.observer.request<{ leader: string }>('await-leader', args, {
      timeoutMs: options.settleTimeoutMs + 5_000,
    })
  }
  try {
    for (let i = 0; i < CAMPAIGNERS; i++) await addCampaigner()
    const leaderMs: number[] = []
    for (let trial = 0; trial < options.failoverTrials; trial++) {
      const { leader } = await awaitLeader()
      const victim = campaigners.get(leader)
      if (victim === undefined) throw new Error(`the election's leader ${leader} is no campaigner`)
      const killedAt = performance.now()
      await victim.kill()
      await awaitLeader(leader)
      leaderMs.push(round(performance.now() - killedAt, 1))
      campaigners.delete(leader)
      await addCampaigner()
    }
    return leaderMs
  } finally {
    await Promise.all([...campaigners.values()].map((child) => init.stop(child)))
  }
}

/** Kills etcd's raft leader, times the failover, starts the member again; n times. */
export async function etcdFailover(etcd: EtcdCluster, trials: number) {
  const writeMs: number[] = []
  const leaderMs: number[] = []
  for (let trial = 0; trial < trials; trial++) {
    const leader = await etcd.leaderIndex()
    const timed = await etcd.killAndTimeFailover(leader, 30_000)
    writeMs.push(round(timed.writeMs, 1))
    leaderMs.push(round(timed.leaderMs, 1))
    await etcd.restart(leader)
  }
  return { writeMs, leaderMs }
}
