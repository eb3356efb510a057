import { VersionConflictError } from '../errors.js'
import type { BullyTermSource } from './bully-capability.js'

/** The part of the coordination API the terms need (`Coordination` has it). */
export interface TermRegisters {
  update(
    key: Uint8Array,
    fn: (value: Uint8Array | undefined) => Uint8Array | undefined,
    options?: { signal?: AbortSignal },
  ): Promise<{ succeeded: boolean; value: Uint8Array | undefined; version: number }>
  read(
    key: Uint8Array,
    options?: { signal?: AbortSignal },
  ): Promise<{ value: Uint8Array | undefined; version: number }>
}

/**
 * The register a group's terms are counted in, `bully/<group>/term`: a register like any
 * other (keys starting with a zero byte are the locks'), so do not name one of yours so.
 * It holds the latest holder's peer id.
 */
export function termKey(group: string): Uint8Array {
  return new TextEncoder().encode(`bully/${group}/term`)
}

/**
 * Terms from a linearizable register: a term is the register's version after a
 * compare-and-set that names the claimant. Every change of a register raises its version
 * by one, so no two claims ever get the same term and a later grant's term is higher,
 * whatever else writes the register. A term is a fencing token: pass it as `fence`.
 */
export function registerTerms(registers: TermRegisters): BullyTermSource {
  return {
    async next(group, self, signal) {
      const holder = new TextEncoder().encode(self)
      const result = await registers.update(termKey(group), () => holder, { signal })
      if (!result.succeeded) {
        throw new VersionConflictError('other claims kept taking the term first')
      }
      return result.version
    },
    async latest(group, signal) {
      const { value, version } = await registers.read(
        termKey(group),
        signal === undefined ? {} : { signal },
      )
      const leader = value === undefined ? undefined : new TextDecoder().decode(value)
      return { term: version, leader }
    },
  }
}
