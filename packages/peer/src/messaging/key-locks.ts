/**
 * One task at a time per key: `run(key, fn)` starts `fn` once every earlier task of the
 * same key has settled. Only keys with a task queued or running take memory.
 */
export class KeyLocks {
  readonly #tails = new Map<string, Promise<void>>()

  /** Keys with a task queued or running (tests). */
  get size(): number {
    return this.#tails.size
  }

  async run<T>(key: Uint8Array, fn: () => Promise<T>): Promise<T> {
    const name = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1')
    const before = this.#tails.get(name)
    let release = () => {}
    const done = new Promise<void>((resolve) => {
      release = resolve
    })
    const tail = before === undefined ? done : before.then(() => done)
    this.#tails.set(name, tail)
    try {
      if (before !== undefined) await before
      return await fn()
    } finally {
      release()
      if (this.#tails.get(name) === tail) this.#tails.delete(name)
    }
  }
}
