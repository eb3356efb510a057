import { buildFingerTable, SortedRing } from '@ringdht/ring'
import type { MeshSpec } from '../drivers/mesh-driver.js'
import { scriptPath } from '../harness/process-group.js'
import { waitFor } from '../harness/wait.js'
import { toRingId } from './contract.js'

/** Fingers that have not changed for this long are taken as converged. */
const FINGERS_STABLE_MS = 5_000

export interface RingMemberView {
  peerId: string
  ringId: string
  keyCount?: number
  replicaKeyCount?: number
  range?: { start: string; end: string }
}

/**
 * A ring is ready when every member has a successor and a complete finger
 * table (checked against the table computed from all members' positions), and
 * the client's ring walk visits every member — the counterpart of waiting for
 * full kad-dht routing tables.
 */
export const ringdhtSpec: MeshSpec = {
  system: 'ringdht',
  memberScript: scriptPath(import.meta.url, './ringdht-member.js'),
  clientScript: scriptPath(import.meta.url, './ringdht-client.js'),
  async settleMembers(members, timeoutMs) {
    const ids = members.map((m) => toRingId(String(m.info.ringId)))
    const ring = new SortedRing(ids)
    // a Chord member with a complete finger table points at exactly these distinct peers
    // (one fewer when its view leaves itself out of the table)
    const expected = ids.map((id) => new Set(buildFingerTable(id, ring)).size)
    let views: number[] = []
    let lastSum = -1
    let stableSince = performance.now()
    let note = 'view = distinct fingers per member; all fingers complete'
    await waitFor(
      async () => {
        const statuses = await Promise.all(
          members.map((m) => m.request<{ successors?: number; fingers?: number }>('status')),
        )
        views = statuses.map((s) => s.fingers ?? 0)
        const linked = statuses.every((s) => (s.successors ?? 1) > 0)
        const complete = views.every((count, i) => count >= (expected[i] ?? 1) - 1)
        const sum = views.reduce((a, b) => a + b, 0)
        if (sum !== lastSum) {
          lastSum = sum
          stableSince = performance.now()
        }
        if (linked && !complete && performance.now() - stableSince > FINGERS_STABLE_MS) {
          note = `fingers stopped changing below the complete table (expected ${expected.join(',')})`
          return true
        }
        return {
          done: linked && complete,
          detail: `fingers ${views.join(',')} of ${expected.join(',')}`,
        }
      },
      { timeoutMs, intervalMs: 250, description: 'ringdht members to link and build fingers' },
    )
    return { view: views, note }
  },
  async settleClient(client, members, timeoutMs) {
    const want = new Set(members.map((m) => String(m.info.peerId)))
    await waitFor(
      async () => {
        const ring = await client.request<RingMemberView[]>('ring').catch(() => [])
        const seen = new Set(ring.map((m) => m.peerId))
        const done = ring.length === want.size && [...want].every((id) => seen.has(id))
        return { done, detail: `ring walk sees ${ring.length}/${want.size}` }
      },
      { timeoutMs, intervalMs: 250, description: 'the ringdht ring walk to include every member' },
    )
  },
}
