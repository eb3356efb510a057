import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const FAST_TIMERS = { stabilizeMs: 100, fixFingersMs: 200, checkPredecessorMs: 300 }

/** Poll `condition` every 25 ms until it holds; fail with `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

export async function tempDir(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'ringdht-peer-test-'))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

export const text = (bytes: Uint8Array | undefined): string | undefined =>
  bytes === undefined ? undefined : new TextDecoder().decode(bytes)

import { ringIdOf, SortedRing } from '@ringdht/ring'
import type { RingPeer } from '../src/index.js'

const encoder = new TextEncoder()

/** The peers that should hold `key` with r replicas: its owner and the next r-1. */
export function replicaSetOf(peers: readonly RingPeer[], key: string, r: number): RingPeer[] {
  const order = new SortedRing(peers.map((p) => p.ringId))
  const ids = order.successors(ringIdOf(encoder.encode(key)), Math.min(r, peers.length))
  return ids.map((id) => peers.find((p) => p.ringId === id) as RingPeer)
}

/**
 * Keys not yet held (live or as tombstones, as `expectDeleted` says) by every member
 * of their replica set; [] when replication has caught up.
 */
export function underReplicated(
  peers: readonly RingPeer[],
  keys: readonly string[],
  r: number,
  expectDeleted: ReadonlySet<string> = new Set(),
): string[] {
  const missing: string[] = []
  for (const key of keys) {
    for (const holder of replicaSetOf(peers, key, r)) {
      const record = holder.store.getSync(encoder.encode(key))
      const ok =
        record !== undefined &&
        (expectDeleted.has(key) ? record.value === undefined : record.value !== undefined)
      if (!ok) {
        missing.push(`${key} on ${holder.peerId}`)
        break
      }
    }
  }
  return missing
}

/** How many of `peers` hold a live copy of each key: a histogram { copies: keys }. */
export function copyHistogram(
  peers: readonly RingPeer[],
  keys: readonly string[],
): Record<number, number> {
  const histogram: Record<number, number> = {}
  for (const key of keys) {
    const bytes = encoder.encode(key)
    let copies = 0
    for (const peer of peers) if (peer.store.getSync(bytes)?.value !== undefined) copies++
    histogram[copies] = (histogram[copies] ?? 0) + 1
  }
  return histogram
}

/** Run `task(i)` for i in [0, count), at most `concurrency` at once. */
export async function inBatches(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  for (let start = 0; start < count; start += concurrency) {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count - start) }, (_, j) => task(start + j)),
    )
  }
}
