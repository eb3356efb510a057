import type { Table } from '@ringdht/store'
import type { PeerConfig } from './config.js'
import { Coordination } from './coordination/coordination-api.js'
import { CoordinationCapability } from './coordination/coordination-capability.js'
import type { RingCore } from './core/ring-core.js'
import { BullyCapability } from './election/bully-capability.js'
import { registerTerms } from './election/bully-terms.js'
import { HomeLogs } from './homes/home-logs.js'
import { KeyValueCapability } from './kv/key-value-capability.js'
import { Topics } from './messaging/topics-api.js'
import { TopicsCapability } from './messaging/topics-capability.js'
import { Watches } from './messaging/watches-api.js'
import { WatchesCapability } from './messaging/watches-capability.js'
import type { RingPeerComponents } from './peer.js'
import { memberQueues } from './tasks/member-queues.js'
import type { Queues } from './tasks/queue-api.js'
import { TasksCapability } from './tasks/tasks-capability.js'

/** The capabilities a member runs, and the APIs its facade hands off to. */
export interface MemberCapabilities {
  readonly kv: KeyValueCapability
  readonly coordinationCapability: CoordinationCapability
  readonly coordination: Coordination
  readonly bully: BullyCapability
  readonly homes: HomeLogs
  readonly topics: Topics
  readonly watches: Watches
  readonly queues: Queues
}

/**
 * Registers the built-in capabilities on `core` in the order they depend on each other:
 * key/value, coordination (whose registers give Bully its terms and home logs their
 * epochs), home logs, then what lives in home logs (topics, key watches, work queues),
 * then the embedder's own.
 */
export function registerCapabilities(
  core: RingCore,
  components: RingPeerComponents,
  config: PeerConfig,
  tables: { coordination: Table; homes: Table },
): MemberCapabilities {
  const context = core.context
  const kv = new KeyValueCapability(context, { store: components.store })
  core.register(kv)
  const coordinationCapability = new CoordinationCapability(context, {
    table: tables.coordination,
    identityIsNew: components.identityIsNew ?? true,
  })
  core.register(coordinationCapability)
  const registers = coordinationCapability.call.bind(coordinationCapability)
  const coordination = new Coordination(registers)
  const bully = new BullyCapability(context, registerTerms(coordination))
  core.register(bully)
  const homes = new HomeLogs(context, { table: tables.homes, registers })
  core.register(homes)
  const topics = new TopicsCapability(context, {
    homes,
    retention: config.topicRetention,
    registers,
  })
  core.register(topics)
  // key watches: change logs at each watched key's owner, fed by the key service's writes
  const watches = new WatchesCapability(context, {
    homes,
    store: components.store,
    retention: config.topicRetention,
  })
  core.register(watches)
  kv.keys.ownerWrites = watches
  // work queues keep their state in home logs (space 'queue')
  const tasks = new TasksCapability(context, { logs: homes, clientAdmin: config.clientQueueAdmin })
  core.register(tasks)
  for (const build of components.capabilities) core.register(build(context))
  return {
    kv,
    coordinationCapability,
    coordination,
    bully,
    homes,
    topics: new Topics(topics.call, core.lifetime),
    watches: new Watches(watches.call, core.lifetime),
    queues: memberQueues(tasks, context),
  }
}
