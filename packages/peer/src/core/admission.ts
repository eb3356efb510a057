import { readFileSync, statSync } from 'node:fs'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Logger } from 'pino'
import { InvalidInputError } from '../errors.js'
import { solvesPuzzle } from './id-puzzle.js'

/** Who may be a ring member at all, before anything else is asked. */
export interface Admission {
  admits(peer: string): boolean
}

export interface MemberAdmissionInit {
  /** Difficulty of the id puzzle (leading zero bits); 0 admits every id. */
  idDifficulty: number
  /** A file of member peer ids, one a line (`#` starts a comment); none: no allowlist. */
  allowlistFile?: string
  /** How often the allowlist file is checked for changes, in ms. */
  allowlistReloadMs: number
  logger: Logger
}

/**
 * Admission of members: the id puzzle (open rings: a position costs work) and an
 * optional allowlist of member peer ids (private rings: a leaked PSK alone does not make
 * a stranger a member). The allowlist is re-read when its file changes; a broken file at
 * start is an error, a broken file later keeps the previous list and is logged.
 */
export class MemberAdmission implements Admission {
  readonly #init: MemberAdmissionInit
  readonly #puzzle = new Map<string, boolean>()
  #allowed: ReadonlySet<string> | undefined
  #allowlistMtime = 0
  #timer: NodeJS.Timeout | undefined

  constructor(init: MemberAdmissionInit) {
    this.#init = init
    if (init.allowlistFile !== undefined) this.#load(true)
  }

  /** The allowlist now in force (undefined: none). */
  get allowlist(): ReadonlySet<string> | undefined {
    return this.#allowed
  }

  admits(peer: string): boolean {
    if (this.#allowed !== undefined && !this.#allowed.has(peer)) return false
    if (this.#init.idDifficulty <= 0) return true
    let valid = this.#puzzle.get(peer)
    if (valid === undefined) {
      try {
        valid = solvesPuzzle(peerIdFromString(peer), this.#init.idDifficulty)
      } catch {
        valid = false
      }
      if (this.#puzzle.size >= 4096) this.#puzzle.clear()
      this.#puzzle.set(peer, valid)
    }
    return valid
  }

  /** Watch the allowlist file for changes until `stop()`. */
  start(): void {
    if (this.#init.allowlistFile === undefined) return
    this.#timer = setInterval(() => this.#load(false), this.#init.allowlistReloadMs)
    this.#timer.unref()
  }

  stop(): void {
    clearInterval(this.#timer)
  }

  #load(atStart: boolean): void {
    const file = this.#init.allowlistFile as string
    try {
      const mtime = statSync(file).mtimeMs
      if (!atStart && mtime === this.#allowlistMtime) return
      this.#allowed = parseAllowlist(readFileSync(file, 'utf8'), file)
      this.#allowlistMtime = mtime
      if (!atStart)
        this.#init.logger.info({ file, members: this.#allowed.size }, 'allowlist reloaded')
    } catch (err) {
      if (atStart) {
        throw err instanceof InvalidInputError
          ? err
          : new InvalidInputError(`cannot read the allowlist ${file}: ${(err as Error).message}`)
      }
      this.#init.logger.warn({ err, file }, 'allowlist not reloaded; keeping the previous one')
    }
  }
}

/** Peer ids, one a line; blank lines and `#` comments are skipped; an invalid id is an error. */
export function parseAllowlist(text: string, file: string): ReadonlySet<string> {
  const ids = new Set<string>()
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.replace(/#.*/, '').trim()
    if (line === '') continue
    try {
      ids.add(peerIdFromString(line).toString())
    } catch {
      throw new InvalidInputError(`${file}:${index + 1}: not a peer id: ${line.slice(0, 80)}`)
    }
  }
  return ids
}
