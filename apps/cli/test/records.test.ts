import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { ExitCode } from '../src/errors.js'
import { EXIT_CODES_HELP } from '../src/program.js'
import { decodeLine, encodeLine, fromBase64, InvalidRecordError } from '../src/records.js'

const bytes = (text: string) => new TextEncoder().encode(text)
const utf8 = (value: Uint8Array) => new TextDecoder().decode(value)

describe('import/export lines', () => {
  it('export → import is an exact round trip of arbitrary bytes, in both modes', () => {
    const arbitraryBytes = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.string({ unit: 'grapheme', maxLength: 16 }).map(bytes),
    )
    fc.assert(
      fc.property(
        arbitraryBytes.filter((key) => key.byteLength > 0),
        arbitraryBytes,
        fc.constantFrom(undefined, 'base64' as const),
        (key, value, force) => {
          const line = encodeLine({ key, value }, force)
          assert.ok(!line.includes('\n'), 'one line')
          const decoded = decodeLine(line, 'line 1')
          assert.deepEqual(new Uint8Array(decoded.key), key, `key of ${line}`)
          assert.deepEqual(new Uint8Array(decoded.value), value, `value of ${line}`)
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('text stays text: a text key keeps its text even when its value is binary', () => {
    const line = JSON.parse(encodeLine({ key: bytes('photo'), value: new Uint8Array([0xff, 0]) }))
    assert.deepEqual(line, { key: 'photo', value: '/wA=', valueEncoding: 'base64' })
    assert.deepEqual(JSON.parse(encodeLine({ key: bytes('k'), value: bytes('v') })), {
      key: 'k',
      value: 'v',
    })
  })

  it('key and value have separate encodings: a base64 value does not decode the key', () => {
    const decoded = decodeLine('{"key":"user","value":"aGk=","valueEncoding":"base64"}', 'l')
    assert.equal(utf8(decoded.key), 'user')
    assert.equal(utf8(decoded.value), 'hi')
    const both = decodeLine(
      '{"key":"dXNlcg==","value":"aGk=","keyEncoding":"base64","valueEncoding":"base64"}',
      'l',
    )
    assert.equal(utf8(both.key), 'user')
  })

  it('rejects text that is not base64 instead of storing garbage', () => {
    for (const bad of ['not base64!', 'aGk', 'aGk=x', 'a===', 'aGl=', '-_8=', ' aGk=']) {
      assert.equal(fromBase64(bad), undefined, JSON.stringify(bad))
      assert.throws(
        () => decodeLine(JSON.stringify({ key: 'k', value: bad, valueEncoding: 'base64' }), 'l 3'),
        (err: Error) =>
          err instanceof InvalidRecordError && /l 3: "value" is not valid base64/.test(err.message),
        JSON.stringify(bad),
      )
    }
    assert.throws(
      () => decodeLine('{"key":"my key","value":"aGk=","keyEncoding":"base64"}', 'l'),
      /"key" is not valid base64/,
    )
  })

  it('carries a TTL key’s expiresAt through export and import, and checks it', () => {
    const line = encodeLine({
      key: bytes('session'),
      value: bytes('t'),
      expiresAt: 1_767_225_600_000,
    })
    assert.deepEqual(JSON.parse(line), { key: 'session', value: 't', expiresAt: 1_767_225_600_000 })
    assert.equal(decodeLine(line, 'l').expiresAt, 1_767_225_600_000)
    assert.equal(decodeLine('{"key":"k","value":"v"}', 'l').expiresAt, undefined)
    for (const bad of ['"soon"', '-1', '1.5', '1e300']) {
      assert.throws(
        () => decodeLine(`{"key":"k","value":"v","expiresAt":${bad}}`, 'l'),
        /"expiresAt" must be a whole number of ms/,
        bad,
      )
    }
    // what `get --json` prints is a line import reads
    assert.equal(utf8(decodeLine('{"key":"k","value":"v","hops":2}', 'l').value), 'v')
  })

  it('refuses the ambiguous "encoding" field of earlier versions and unknown fields', () => {
    assert.throws(
      () => decodeLine('{"key":"k","value":"aGk=","encoding":"base64"}', 'l'),
      /"encoding" is ambiguous.*"keyEncoding" and\/or "valueEncoding"/,
    )
    assert.throws(
      () => decodeLine('{"key":"k","value":"v","vlaue":"x"}', 'l'),
      /unknown field "vlaue"/,
    )
    assert.throws(() => decodeLine('{"key":"","value":"v"}', 'l'), /"key" is empty/)
    assert.throws(
      () => decodeLine('{"key":"k","value":"v","valueEncoding":"hex"}', 'l'),
      /"valueEncoding" must be "utf8" or "base64"/,
    )
  })
})

describe('exit codes', () => {
  it('ExitCode, `ringdht --help` and the README list the same codes', async () => {
    const readme = await readFile(
      fileURLToPath(new URL('../../../../README.md', import.meta.url)),
      'utf8',
    )
    for (const [name, code] of Object.entries(ExitCode)) {
      assert.match(
        EXIT_CODES_HELP,
        new RegExp(`^  ${code} `, 'm'),
        `--help lists ${name} (${code})`,
      )
      assert.match(readme, new RegExp(`^\\| ${code} +\\|`, 'm'), `README lists ${name} (${code})`)
    }
    const helpCodes = [...EXIT_CODES_HELP.matchAll(/^ {2}(\d+) /gm)].map((match) =>
      Number(match[1]),
    )
    assert.deepEqual(helpCodes.sort(), Object.values(ExitCode).map(Number).sort())
  })
})
