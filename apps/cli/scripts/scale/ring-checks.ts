import { createClient, type PeerStatus, type RingClient } from '@ringdht/peer'
import { pino } from 'pino'
import { neighbourProblem } from '../../src/commands/cluster/ring-formed.js'

const silent = pino({ level: 'silent' })

/** One client per member, dialled lazily and kept; the member routes what it is asked. */
export class MemberClients {
  readonly #clients = new Map<string, Promise<RingClient>>()

  of(address: string): Promise<RingClient> {
    let client = this.#clients.get(address)
    if (client === undefined) {
      client = createClient({
        peer: address,
        routing: 'via-peer',
        timeoutMs: 10_000,
        logger: silent,
      })
      // a failed dial is tried again next time
      client.catch(() => this.#clients.delete(address))
      this.#clients.set(address, client)
    }
    return client
  }

  async status(address: string): Promise<PeerStatus | undefined> {
    try {
      return await (await this.of(address)).status({ signal: AbortSignal.timeout(10_000) })
    } catch {
      return undefined
    }
  }

  async close(): Promise<void> {
    const clients = [...this.#clients.values()]
    this.#clients.clear()
    await Promise.allSettled(clients.map(async (c) => (await c).close()))
  }
}

/**
 * Why the members at `addresses` do not form one ring yet (each one's successor and
 * predecessor are its neighbours in ring-id order), or undefined when they do. Fingers
 * are not checked: routing is correct without them, only longer.
 */
export async function ringProblem(
  clients: MemberClients,
  addresses: readonly string[],
): Promise<string | undefined> {
  const statuses = await mapLimit(addresses, 16, (address) => clients.status(address))
  const missing = statuses.filter((s) => s === undefined).length
  if (missing > 0) return `${missing} members did not answer STATUS`
  return neighbourProblem(
    (statuses as PeerStatus[]).map((view) => ({ name: view.peerId, view })),
    1,
  )
}

export interface ReadOutcome {
  reads: number
  /** Keys absent, with another value, or whose reads kept failing. */
  wrong: string[]
  absent: string[]
  otherValue: string[]
  /** Each key read wrong, read again through the same member with a trace. */
  readAgain: Array<{ key: string; member: string; now: 'right' | 'wrong'; path?: string[] }>
  /** Keys whose get failed three times, and the last error of one of them. */
  errors: number
  lastError: string | undefined
  meanHops: number
  seconds: number
}

/** Read every key in `expected` through the member at `address`. */
export async function readEverything(
  clients: MemberClients,
  address: string,
  expected: ReadonlyMap<string, string>,
  concurrency: number,
): Promise<ReadOutcome> {
  const client = await clients.of(address)
  const started = performance.now()
  const wrong: string[] = []
  const absent: string[] = []
  const otherValue: string[] = []
  let errors = 0
  let lastError: string | undefined
  let hops = 0
  const decoder = new TextDecoder()
  await mapLimit([...expected], concurrency, async ([key, value]) => {
    // a read that failed transiently (a member just died) is asked again, twice at most
    for (let attempt = 0; ; attempt++) {
      try {
        const found = await client.get(key)
        if (found === undefined) absent.push(key)
        else if (decoder.decode(found.value) !== value) otherValue.push(key)
        else hops += found.hops
        if (found === undefined || decoder.decode(found.value) !== value) wrong.push(key)
        return
      } catch (err) {
        if (attempt >= 2) {
          errors++
          lastError = `${key}: ${(err as Error).message}`
          wrong.push(key)
          return
        }
      }
    }
  })
  const readAgain: ReadOutcome['readAgain'] = []
  for (const key of [...absent, ...otherValue].slice(0, 5)) {
    const found = await client.get(key, { trace: true }).catch(() => undefined)
    const right = found !== undefined && decoder.decode(found.value) === expected.get(key)
    readAgain.push({
      key,
      member: address,
      now: right ? 'right' : 'wrong',
      ...(found?.path ? { path: found.path } : {}),
    })
  }
  return {
    readAgain,
    reads: expected.size,
    wrong,
    absent,
    otherValue,
    errors,
    lastError,
    meanHops: hops / Math.max(1, expected.size - wrong.length),
    seconds: (performance.now() - started) / 1000,
  }
}

/** `work` over `items` with at most `limit` running at once; results in order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index] as T, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/** Poll `check` until it gives undefined (no problem left); throw the last problem at the deadline. */
export async function waitUntilNoProblem(
  what: string,
  check: () => Promise<string | undefined>,
  timeoutMs: number,
): Promise<number> {
  const started = performance.now()
  for (;;) {
    const roundStarted = performance.now()
    const problem = await check()
    if (process.env.RINGDHT_SCRIPT_DEBUG !== undefined) {
      process.stderr.write(
        `${what}: ${problem ?? 'ok'} (round ${((performance.now() - roundStarted) / 1000).toFixed(2)} s)\n`,
      )
    }
    if (problem === undefined) return (performance.now() - started) / 1000
    if (performance.now() - started > timeoutMs) {
      throw new Error(`${what} not reached after ${timeoutMs / 1000} s: ${problem}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}
