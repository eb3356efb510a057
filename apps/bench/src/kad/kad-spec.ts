import type { MeshSpec } from '../drivers/mesh-driver.js'
import type { BenchChild } from '../harness/process-group.js'
import { scriptPath } from '../harness/process-group.js'
import { waitFor } from '../harness/wait.js'

/** Without progress for this long, ask lagging members to refresh their routing tables. */
const REFRESH_AFTER_MS = 5_000

async function tableSizes(children: BenchChild[]): Promise<number[]> {
  return Promise.all(children.map((child) => child.request<number>('routing-table')))
}

/**
 * kad-dht is ready when every member has every other member in its routing
 * table (with N <= k = 20 every peer fits), and the client knows every member.
 */
export const kadSpec: MeshSpec = {
  system: 'kad-dht',
  memberScript: scriptPath(import.meta.url, './kad-member.js'),
  clientScript: scriptPath(import.meta.url, './kad-client.js'),
  async settleMembers(members, timeoutMs) {
    const want = members.length - 1
    let sizes: number[] = []
    let lastProgress = performance.now()
    let lastSum = -1
    await waitFor(
      async () => {
        sizes = await tableSizes(members)
        const sum = sizes.reduce((a, b) => a + b, 0)
        if (sum !== lastSum) {
          lastSum = sum
          lastProgress = performance.now()
        } else if (performance.now() - lastProgress > REFRESH_AFTER_MS) {
          lastProgress = performance.now()
          await Promise.all(
            members.filter((_, i) => (sizes[i] ?? 0) < want).map((m) => m.request('refresh')),
          )
        }
        return { done: sizes.every((size) => size >= want), detail: `sizes ${sizes.join(',')}` }
      },
      { timeoutMs, intervalMs: 250, description: 'kad-dht routing tables to fill' },
    )
    return { view: sizes }
  },
  async settleClient(client, members, timeoutMs) {
    let lastProgress = performance.now()
    let lastSize = -1
    await waitFor(
      async () => {
        const size = await client.request<number>('routing-table')
        if (size !== lastSize) {
          lastSize = size
          lastProgress = performance.now()
        } else if (performance.now() - lastProgress > REFRESH_AFTER_MS) {
          lastProgress = performance.now()
          await client.request('refresh')
        }
        return { done: size >= members.length, detail: `client table ${size}` }
      },
      { timeoutMs, intervalMs: 250, description: 'the kad-dht client routing table to fill' },
    )
  },
}
