import { appendFileSync } from 'node:fs'

/**
 * One operation as the harness saw it. Each key has one writer, so its writes are
 * ordered: the value of write n of a key is `${key}#${n}`, and a read's answer says which
 * write it saw. Times are milliseconds since the run started.
 */
export interface Operation {
  kind: 'put' | 'get'
  key: string
  /** put: the write number of this key (1, 2, ...). */
  seq?: number
  start: number
  end: number
  outcome: 'ok' | 'fail'
  /** get: the write number read, or null for absent. */
  read?: number | null
  error?: string
  /** get: the peer ids the request went through (the last one answered). */
  path?: string[]
  /** 'final': the reads after recovery that decide what was lost. */
  phase: 'load' | 'final'
}

export const writtenValue = (key: string, seq: number): string => `${key}#${seq}`

/** The write number a read value names; undefined for a value no writer wrote. */
export function seqOf(key: string, value: string): number | undefined {
  if (!value.startsWith(`${key}#`)) return undefined
  const seq = Number(value.slice(key.length + 1))
  return Number.isInteger(seq) && seq > 0 ? seq : undefined
}

/** Appends each operation as one JSON line, so the history survives a crash of the harness. */
export class HistoryFile {
  readonly path: string
  readonly #operations: Operation[] = []

  constructor(path: string) {
    this.path = path
  }

  record(operation: Operation): void {
    this.#operations.push(operation)
    appendFileSync(this.path, `${JSON.stringify(operation)}\n`)
  }

  get operations(): readonly Operation[] {
    return this.#operations
  }
}
