import {
  Acceptor,
  type Configuration,
  changeOf,
  type Proposer,
  type RegisterOperation,
  type RegisterResult,
  type RoundOutcome,
  resultOf,
} from '../src/index.js'

export const encode = (text: string): Uint8Array => new TextEncoder().encode(text)
export const decode = (bytes: Uint8Array | undefined): string | undefined =>
  bytes === undefined ? undefined : new TextDecoder().decode(bytes)

export function acceptorsNamed(...ids: string[]): Map<string, Acceptor> {
  return new Map(ids.map((id) => [id, new Acceptor({ id })]))
}

/**
 * Runs one round synchronously, delivering every message to every acceptor that
 * `reachable` allows (default: all), breadth-first.
 */
export function runRound(
  proposer: Proposer,
  acceptors: ReadonlyMap<string, Acceptor>,
  key: string,
  operation: RegisterOperation,
  config: Configuration,
  reachable: (id: string) => boolean = () => true,
): { outcome: RoundOutcome | undefined; result: RegisterResult | undefined } {
  let { step } = proposer.start(key, changeOf(operation), config)
  let outcome = step.outcome
  let queue = [...step.messages]
  while (queue.length > 0 && outcome === undefined) {
    const next = []
    for (const { to, message } of queue) {
      const acceptor = acceptors.get(to)
      if (acceptor === undefined || !reachable(to)) continue
      step = proposer.receive(acceptor.receive(message))
      next.push(...step.messages)
      if (step.outcome !== undefined) {
        outcome = step.outcome
        break
      }
    }
    queue = next
  }
  return { outcome, result: outcome === undefined ? undefined : resultOf(operation, outcome) }
}

/** Runs rounds until one is decided (a fresh proposer first learns the ballots in use). */
export function runUntilDecided(
  proposer: Proposer,
  acceptors: ReadonlyMap<string, Acceptor>,
  key: string,
  operation: RegisterOperation,
  config: Configuration,
  attempts = 5,
): RegisterResult | undefined {
  for (let i = 0; i < attempts; i++) {
    const { outcome, result } = runRound(proposer, acceptors, key, operation, config)
    if (outcome?.kind === 'decided') return result
    if (outcome?.kind === 'indeterminate') return undefined
  }
  return undefined
}
