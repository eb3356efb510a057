import { type BullyMessage, BullyNode } from '../bully.js'
import {
  ElectionEnv,
  type ElectionReport,
  type ElectionSimInit,
  electionSettings,
  sampleSplitBrain,
} from './election-common.js'

interface Member {
  readonly id: string
  readonly bully: BullyNode
  state: 'running' | 'crashed' | 'paused'
  lastHeartbeat: number
}

/**
 * The Bully election on the simulated clock: the coordinator heartbeats every member; a
 * member that hears nothing for `failureTimeout` suspects it and starts an election; a
 * paused member that resumes starts one too (the usual Bully recovery rule).
 */
export function runBullyElection(init: ElectionSimInit = {}): ElectionReport {
  const settings = electionSettings(init)
  const env = new ElectionEnv(settings)
  const { queue } = env
  const ids = Array.from({ length: settings.nodes }, (_, i) => `n${String(i).padStart(3, '0')}`)
  const members = new Map<string, Member>()
  for (const id of ids) {
    const bully = new BullyNode({
      self: id,
      members: ids,
      answerTimeout: 4 * settings.maxDelay,
      coordinatorTimeout: 8 * settings.maxDelay,
    })
    members.set(id, { id, bully, state: 'running', lastHeartbeat: 0 })
  }
  const oldLeader = ids[ids.length - 1] as string
  const sendAll = (messages: readonly BullyMessage[]): void => {
    for (const message of messages) env.send(() => deliver(message))
  }
  const armTick = (member: Member): void => {
    const deadline = member.bully.deadline
    if (deadline === undefined) return
    queue.after(deadline - queue.now, () => {
      if (member.state !== 'running') return
      sendAll(member.bully.tick(queue.now))
      armTick(member)
    })
  }
  const deliver = (message: BullyMessage): void => {
    const member = members.get(message.to)
    if (member === undefined || member.state === 'crashed') return
    if (member.state === 'paused') {
      queue.after(settings.failAt + settings.pauseFor - queue.now, () => deliver(message))
      return
    }
    if (message.type === 'COORDINATOR') member.lastHeartbeat = queue.now
    sendAll(member.bully.receive(message, queue.now))
    armTick(member)
  }
  const heartbeat = (member: Member): void => {
    if (member.state === 'crashed') return
    if (member.state === 'running' && member.bully.leader === member.id) {
      for (const other of ids) {
        if (other === member.id) continue
        env.send(() => {
          const target = members.get(other)
          if (target?.state === 'running' && target.bully.leader === member.id) {
            target.lastHeartbeat = queue.now
          }
        })
      }
    }
    if (member.state === 'running' && member.bully.leader !== member.id) {
      const silent = queue.now - member.lastHeartbeat > settings.failureTimeout
      const leader = member.bully.leader
      if (silent && leader !== undefined) {
        sendAll(member.bully.suspect(leader, queue.now))
        armTick(member)
      }
    }
    queue.after(settings.heartbeatInterval + env.prng.below(5), () => heartbeat(member))
  }

  for (const member of members.values()) {
    sendAll(member.bully.startElection(0))
    armTick(member)
    queue.after(env.prng.below(settings.heartbeatInterval), () => heartbeat(member))
  }
  queue.after(settings.failAt, () => {
    const leader = members.get(oldLeader) as Member
    if (settings.scenario === 'crash') {
      leader.state = 'crashed'
      return
    }
    leader.state = 'paused'
    queue.after(settings.pauseFor, () => {
      leader.state = 'running'
      leader.lastHeartbeat = queue.now
      sendAll(leader.bully.startElection(queue.now))
      armTick(leader)
    })
  })

  let steadyFrom = 0
  let sentAtFail = 0
  let timeToNewLeader: number | undefined
  let timeToAgreement: number | undefined
  let electionMessages = 0
  const running = () => [...members.values()].filter((m) => m.state === 'running')
  const splitBrain = sampleSplitBrain(
    env,
    () => running().filter((m) => m.bully.leader === m.id).length,
    (now) => {
      if (now === settings.failAt / 4) steadyFrom = env.sent
      if (now === settings.failAt) sentAtFail = env.sent
      if (now <= settings.failAt) return
      const live = running()
      if (
        timeToNewLeader === undefined &&
        live.some((m) => m.id !== oldLeader && m.bully.leader === m.id)
      ) {
        timeToNewLeader = now - settings.failAt
      }
      const agreed = live[0]?.bully.leader
      if (
        timeToAgreement === undefined &&
        timeToNewLeader !== undefined &&
        agreed !== undefined &&
        agreed !== oldLeader &&
        live.every((m) => m.bully.leader === agreed && m.bully.phase === 'idle')
      ) {
        timeToAgreement = now - settings.failAt
        electionMessages = env.sent - sentAtFail
      }
    },
  )
  while (queue.now <= settings.duration && queue.step()) {
    // the heartbeat loops never end; stop at the configured duration
  }
  return {
    strategy: 'bully',
    scenario: settings.scenario,
    timeToNewLeader,
    timeToAgreement,
    electionMessages,
    steadyMessagesPer1000: ((sentAtFail - steadyFrom) * 1000) / ((settings.failAt * 3) / 4),
    splitBrainTime: splitBrain(),
    tokenViolations: 0,
    overlappingGrants: 0,
  }
}
