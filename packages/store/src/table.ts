import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { open, type RootDatabase } from 'lmdb'
import { StoreClosedError, StoreOpenError } from './errors.js'
import type { Durability } from './lmdb-store.js'

/**
 * A small durable map from byte keys to byte values, beside the record store: for state
 * that is not records (no position, no version), such as the coordination acceptors'
 * promises. Reads are synchronous; `put` resolves once the write is committed (and, with
 * durability 'sync', flushed), so a caller may answer only after its state is safe.
 */
export interface Table {
  get(key: Uint8Array): Uint8Array | undefined
  put(key: Uint8Array, value: Uint8Array): Promise<void>
  /** Remove `key` (nothing when absent); resolves once committed, like `put`. */
  delete(key: Uint8Array): Promise<void>
  /** Every entry in key byte order; with `after`, only those whose key sorts after it. */
  entries(after?: Uint8Array): Iterable<readonly [Uint8Array, Uint8Array]>
  readonly size: number
  close(): Promise<void>
}

export interface TableInit {
  /** The peer's data folder; the table lives in `<dataDir>/<name>`. Undefined: memory. */
  readonly dataDir?: string | undefined
  /** The table's folder name under `dataDir`. */
  readonly name: string
  /** LMDB only: when `put` resolves (see LmdbStoreInit.durability). Default 'sync'. */
  readonly durability?: Durability | undefined
}

/** A table on disk under `dataDir`, or in memory without one. Throws StoreOpenError. */
export async function createTable(init: TableInit): Promise<Table> {
  if (init.dataDir === undefined) return new MemoryTable()
  return LmdbTable.open(join(init.dataDir, init.name), init.durability ?? 'sync')
}

const hex = (key: Uint8Array) =>
  Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex')

/** A table in memory (tests, peers without a data folder). */
export class MemoryTable implements Table {
  readonly #entries = new Map<string, readonly [Uint8Array, Uint8Array]>()
  #closed = false

  get size(): number {
    return this.#entries.size
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.#assertOpen()
    return this.#entries.get(hex(key))?.[1]
  }

  async put(key: Uint8Array, value: Uint8Array): Promise<void> {
    this.#assertOpen()
    this.#entries.set(hex(key), [Uint8Array.from(key), Uint8Array.from(value)])
  }

  async delete(key: Uint8Array): Promise<void> {
    this.#assertOpen()
    this.#entries.delete(hex(key))
  }

  *entries(after?: Uint8Array): Iterable<readonly [Uint8Array, Uint8Array]> {
    this.#assertOpen()
    // hex strings sort as the bytes they spell
    const from = after === undefined ? undefined : hex(after)
    const sorted = [...this.#entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    for (const [key, entry] of sorted) if (from === undefined || key > from) yield entry
  }

  async close(): Promise<void> {
    this.#closed = true
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError()
  }
}

/** A table in its own LMDB environment. */
export class LmdbTable implements Table {
  readonly #db: RootDatabase<Buffer, Buffer>
  readonly #durability: Durability
  #size: number
  #closed = false

  static async open(path: string, durability: Durability): Promise<LmdbTable> {
    try {
      await mkdir(path, { recursive: true })
      const db = open<Buffer, Buffer>({ path, keyEncoding: 'binary', encoding: 'binary' })
      return new LmdbTable(db, durability)
    } catch (error) {
      throw new StoreOpenError(path, error)
    }
  }

  private constructor(db: RootDatabase<Buffer, Buffer>, durability: Durability) {
    this.#db = db
    this.#durability = durability
    this.#size = db.getKeysCount()
  }

  get size(): number {
    return this.#size
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.#assertOpen()
    return this.#db.getBinary(Buffer.from(key))
  }

  async put(key: Uint8Array, value: Uint8Array): Promise<void> {
    this.#assertOpen()
    const stored = Buffer.from(key)
    if (this.#db.getBinary(stored) === undefined) this.#size++
    await this.#db.put(stored, Buffer.from(value))
    if (this.#durability === 'sync') await this.#db.flushed
  }

  async delete(key: Uint8Array): Promise<void> {
    this.#assertOpen()
    const stored = Buffer.from(key)
    if (this.#db.getBinary(stored) === undefined) return
    this.#size--
    await this.#db.remove(stored)
    if (this.#durability === 'sync') await this.#db.flushed
  }

  *entries(after?: Uint8Array): Iterable<readonly [Uint8Array, Uint8Array]> {
    this.#assertOpen()
    const start = after === undefined ? undefined : Buffer.from(after)
    for (const { key, value } of this.#db.getRange(start === undefined ? {} : { start })) {
      if (start !== undefined && key.equals(start)) continue
      yield [key, value] as const
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#db.close()
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError()
  }
}
