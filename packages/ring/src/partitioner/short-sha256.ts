/**
 * SHA-256 of a message of at most 13 big-endian 32-bit words (52 bytes), which fits one
 * block with its padding, returning only the first two digest words: the ring position
 * of the message, as ringIdOf computes it from node:crypto. For hashing millions of
 * virtual node positions and keys: node:crypto costs a native call and a Buffer per
 * digest, about four times this loop (measured on the simulator's machine). The tests
 * compare both on random messages.
 */

const ROUND_CONSTANTS = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
])
const INITIAL = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
])
export const SHORT_SHA256_MAX_WORDS = 13

// One schedule, reused: hashing is single-threaded per isolate.
const schedule = new Int32Array(64)

/**
 * Writes the first 8 bytes of SHA-256(words[0 … count)), as two unsigned 32-bit words,
 * into out[0] and out[1].
 */
export function shortSha256(words: ArrayLike<number>, count: number, out: Uint32Array): void {
  if (!Number.isInteger(count) || count < 0 || count > SHORT_SHA256_MAX_WORDS) {
    throw new RangeError(`a short SHA-256 message has 0 to 13 words, got ${count}`)
  }
  const w = schedule
  for (let i = 0; i < count; i++) w[i] = words[i] as number
  w[count] = 0x80000000
  for (let i = count + 1; i < 15; i++) w[i] = 0
  w[15] = count * 32
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15] as number
    const y = w[i - 2] as number
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)
    w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) | 0
  }
  let a = INITIAL[0] as number
  let b = INITIAL[1] as number
  let c = INITIAL[2] as number
  let d = INITIAL[3] as number
  let e = INITIAL[4] as number
  let f = INITIAL[5] as number
  let g = INITIAL[6] as number
  let h = INITIAL[7] as number
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
    const choice = (e & f) ^ (~e & g)
    const t1 = (h + s1 + choice + (ROUND_CONSTANTS[i] as number) + (w[i] as number)) | 0
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
    const majority = (a & b) ^ (a & c) ^ (b & c)
    const t2 = (s0 + majority) | 0
    h = g
    g = f
    f = e
    e = (d + t1) | 0
    d = c
    c = b
    b = a
    a = (t1 + t2) | 0
  }
  out[0] = ((INITIAL[0] as number) + a) >>> 0
  out[1] = ((INITIAL[1] as number) + b) >>> 0
}
