/**
 * A seeded pseudo-random generator (sfc32, seeded through splitmix32): the same seed
 * gives the same nodes, keys, start nodes and join/leave choices on every machine.
 * Not for secrets; the simulator only needs reproducible, well-spread choices.
 */
export class Prng {
  #a: number
  #b: number
  #c: number
  #d: number

  constructor(seed: number) {
    let state = seed >>> 0
    const next = (): number => {
      state = (state + 0x9e3779b9) | 0
      let z = state
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.#a = next()
    this.#b = next()
    this.#c = next()
    this.#d = next()
    for (let i = 0; i < 12; i++) this.uint32()
  }

  /** An integer in [0, 2^32). */
  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0
    this.#d = (this.#d + 1) | 0
    this.#a = this.#b ^ (this.#b >>> 9)
    this.#b = (this.#c + (this.#c << 3)) | 0
    this.#c = (this.#c << 21) | (this.#c >>> 11)
    this.#c = (this.#c + t) | 0
    return t >>> 0
  }

  /** An integer in [0, bound), bound ≤ 2^32, without modulo bias. */
  below(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > 2 ** 32) {
      throw new RangeError(`bound must be an integer in [1, 2^32], got ${bound}`)
    }
    const limit = 2 ** 32 - (2 ** 32 % bound)
    for (;;) {
      const x = this.uint32()
      if (x < limit) return x % bound
    }
  }

  /** `length` random bytes. */
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length)
    for (let i = 0; i < length; i += 4) {
      let x = this.uint32()
      for (let j = i; j < Math.min(i + 4, length); j++) {
        out[j] = x & 0xff
        x >>>= 8
      }
    }
    return out
  }

  /** Random lowercase hex of `length` bytes. */
  hex(length: number): string {
    return Buffer.from(this.bytes(length)).toString('hex')
  }
}
