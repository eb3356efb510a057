import type { Logger } from 'pino'
import type { PeerConfig } from '../config.js'
import { MemberAdmission } from './admission.js'
import { MEMBER_CHECK_DEFAULTS, MemberCheck } from './member-check.js'
import type { Neighbours } from './neighbours.js'
import { type RingNode, ringIdOfPeerString } from './ring-node.js'
import type { Router } from './router.js'

/** Who may be a member (admission) and who is one (member check), as the config asks. */
export function buildMemberTrust(
  components: {
    self: RingNode
    neighbours: Neighbours
    router: Pick<Router, 'findSuccessor'>
    logger: Logger
  },
  config: Pick<
    PeerConfig,
    'idDifficulty' | 'allowlistFile' | 'timers' | 'replicas' | 'successorListLength'
  >,
): { admission: MemberAdmission; members: MemberCheck } {
  const admission = new MemberAdmission({
    idDifficulty: config.idDifficulty,
    ...(config.allowlistFile === undefined ? {} : { allowlistFile: config.allowlistFile }),
    allowlistReloadMs: config.timers.allowlistReloadMs,
    logger: components.logger,
  })
  const members = new MemberCheck(
    {
      self: components.self,
      neighbours: components.neighbours,
      admission,
      findSuccessor: (id, signal) => components.router.findSuccessor(id, signal),
      ringIdOf: ringIdOfPeerString,
    },
    {
      ...MEMBER_CHECK_DEFAULTS,
      replicas: config.replicas,
      successorListLength: config.successorListLength,
    },
  )
  return { admission, members }
}
