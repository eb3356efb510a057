import { writeFile } from 'node:fs/promises'
import { renderRingSvg } from '@ringdht/gateway'
import type { ClientFlags } from '../../client.js'
import { withClient } from '../../client.js'
import { CliError } from '../../errors.js'
import { toJson, writeOut } from '../../io.js'
import { formatTable } from '../../output.js'
import type { RingMemberView } from '../../peer.js'

export interface RingFlags extends ClientFlags {
  json?: boolean
  /** Also draw the ring as SVG into this file. */
  svg?: string
}

export async function ringHandler(flags: RingFlags): Promise<void> {
  const members = await withClient(flags, (client) => client.ring())
  if (flags.svg !== undefined) {
    const svg = renderRingSvg(members, { caption: `as of ${new Date().toISOString()}` })
    await writeFile(flags.svg, svg).catch((err: NodeJS.ErrnoException) => {
      throw new CliError(`cannot write ${flags.svg}: ${err.code ?? err.message}`, { cause: err })
    })
  }
  if (flags.json === true) {
    await writeOut(`${toJson(members, 2)}\n`)
    return
  }
  await writeOut(`${formatRing(members)}\n`)
}

export function formatRing(members: RingMemberView[]): string {
  const totalKeys = members.reduce((sum, member) => sum + (member.keyCount ?? 0), 0)
  const rows = members.map((member, index) => [
    String(index),
    member.peerId,
    String(member.ringId),
    `(${member.range?.start ?? '?'}, ${member.range?.end ?? '?'}]`,
    String(member.keyCount ?? '-'),
    member.replicaKeyCount != null ? String(member.replicaKeyCount) : '-',
    formatHealth(member.health),
    member.multiaddrs?.[0] ?? '-',
  ])
  const table = formatTable(
    ['#', 'PEER ID', 'RING ID', 'RANGE (start, end]', 'KEYS', 'REPLICA KEYS', 'HEALTH', 'ADDRESS'],
    rows,
  )
  return `${table}\n${members.length} member${members.length === 1 ? '' : 's'}, ${totalKeys} primary keys`
}

function formatHealth(health: unknown): string {
  if (health == null) return '-'
  if (typeof health === 'string') return health
  if (typeof health === 'object' && 'status' in health)
    return String((health as { status: unknown }).status)
  return toJson(health)
}
