/**
 * The error catalogue kept honest (fastify's test/internals/errors.test.js is the model):
 * the classes the packages export, their codes, the wire mapping and docs/errors.md must
 * agree. The classes are found in the packages' public entries, so a new error class that
 * is exported but not documented fails here. apps/cli is not part of the vocabulary yet.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import * as protocol from '@ringdht/protocol'
import { ErrorCode, type ErrorCodeName } from '@ringdht/protocol'
import * as ring from '@ringdht/ring'
import { RingdhtError } from '@ringdht/ring'
import * as store from '@ringdht/store'
import { errorFromWire, wireCodeOf } from '../src/errors.js'
import * as peer from '../src/index.js'

type ErrorClass = (abstract new (
  ...args: never[]
) => Error) & {
  readonly code?: unknown
  readonly codes?: unknown
}

/** Lowest package first: a class re-exported higher up belongs to the package that defines it. */
const PACKAGES: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
  ['@ringdht/ring', ring],
  ['@ringdht/protocol', protocol],
  ['@ringdht/store', store],
  ['@ringdht/peer', peer],
]

/** Classes that only group others; they have no code of their own. */
const BASES = new Set<unknown>([RingdhtError, peer.RingError])

interface Found {
  readonly cls: ErrorClass
  readonly pkg: string
}

function exportedErrorClasses(): Map<string, Found> {
  const found = new Map<string, Found>()
  for (const [pkg, entry] of PACKAGES) {
    for (const [exportName, value] of Object.entries(entry)) {
      if (typeof value !== 'function') continue
      if (value !== Error && !(value.prototype instanceof Error)) continue
      const cls = value as ErrorClass
      assert.equal(cls.name, exportName, `${pkg} exports ${cls.name} as ${exportName}`)
      const seen = found.get(exportName)
      if (seen === undefined) found.set(exportName, { cls, pkg })
      else assert.equal(seen.cls, cls, `two different classes named ${exportName}`)
    }
  }
  return found
}

function codesOf(name: string, cls: ErrorClass): string[] {
  if (Array.isArray(cls.codes)) return [...(cls.codes as string[])]
  assert.equal(typeof cls.code, 'string', `${name} has no static code`)
  return [cls.code as string]
}

/** An instance of `cls` carrying `code`; the constructors differ a little. */
function instance(name: string, cls: ErrorClass, code: string): Error {
  const Ctor = cls as unknown as new (...args: unknown[]) => Error
  if (name === 'StoreOpenError') return new Ctor('/nowhere', new Error('EACCES'))
  if (name === 'StoreClosedError') return new Ctor()
  if (name === 'ProtocolError' || name === 'RemoteError') return new Ctor(code, 'a message')
  return new Ctor('a message')
}

interface Row {
  readonly code: string
  readonly cls: string
  readonly pkg: string
  readonly wire: string
}

/** The rows of the table under `## <heading>`, cells stripped of backticks. */
function tableRows(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(`\n## ${heading}\n`)
  assert.ok(start >= 0, `docs/errors.md has a "## ${heading}" section`)
  const end = markdown.indexOf('\n## ', start + 1)
  const section = markdown.slice(start, end < 0 ? undefined : end)
  const lines = section.split('\n').filter((line) => line.startsWith('|'))
  return lines
    .slice(2) // header and separator
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim().replaceAll('`', '')),
    )
}

const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8')

const catalogue: Row[] = tableRows(doc, 'Catalogue').map((cells) => {
  const [code = '', cls = '', pkg = '', wire = ''] = cells
  return { code, cls, pkg, wire }
})

const wireNames = (Object.keys(ErrorCode) as ErrorCodeName[]).filter((name) => name !== 'OK')

describe('error catalogue', () => {
  const classes = exportedErrorClasses()
  const coded = [...classes].filter(([, { cls }]) => !BASES.has(cls))
  const classOfCode = new Map<string, ErrorClass>(
    coded.flatMap(([name, { cls }]) => codesOf(name, cls).map((code) => [code, cls] as const)),
  )

  it('every exported error class is a RingdhtError, or a documented base', () => {
    for (const [name, { cls }] of classes) {
      assert.ok(
        cls === RingdhtError || cls.prototype instanceof RingdhtError || BASES.has(cls),
        name,
      )
    }
    for (const [cls] of tableRows(doc, 'Base classes')) {
      const found = classes.get(cls ?? '')
      assert.ok(found !== undefined && BASES.has(found.cls), `base class ${cls} in the doc`)
    }
    assert.equal(tableRows(doc, 'Base classes').length, BASES.size, 'every base class documented')
  })

  it('every class has stable, unique SCREAMING_SNAKE codes that its instances carry', () => {
    const owner = new Map<string, string>()
    for (const [name, { cls }] of coded) {
      for (const code of codesOf(name, cls)) {
        assert.match(code, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/, `${name}: ${code}`)
        assert.ok(!code.startsWith('ERR_'), `${name}: ${code} has the old ERR_ prefix`)
        const other = owner.get(code)
        assert.equal(other, undefined, `${code} belongs to both ${other} and ${name}`)
        owner.set(code, name)
        const err = instance(name, cls, code)
        assert.ok(err instanceof cls, name)
        assert.ok(err instanceof RingdhtError, `${name} instanceof RingdhtError`)
        assert.equal((err as RingdhtError).code, code, `${name} instance code`)
        assert.equal(err.name, name, `${name} instance name`)
      }
    }
  })

  it('the doc lists every code once, with its class, package and wire number', () => {
    const documented = new Map<string, Row>()
    for (const row of catalogue) {
      assert.ok(!documented.has(row.code), `${row.code} documented twice`)
      documented.set(row.code, row)
    }
    const codes = new Set<string>()
    for (const [name, { cls, pkg }] of coded) {
      for (const code of codesOf(name, cls)) {
        codes.add(code)
        const row = documented.get(code)
        assert.ok(row !== undefined, `${code} (${name}) is missing from docs/errors.md`)
        assert.equal(row.cls, name, `class of ${code}`)
        assert.equal(row.pkg, pkg, `package of ${code}`)
        const wire = wireCodeOf(instance(name, cls, code))
        if (code in ErrorCode) {
          assert.equal(row.wire, String(ErrorCode[code as ErrorCodeName]), `wire number of ${code}`)
          assert.equal(wire, ErrorCode[code as ErrorCodeName], `wireCodeOf ${name}`)
        } else {
          assert.equal(row.wire, `none, sent as ${wire}`, `wire column of ${code}`)
        }
      }
    }
    for (const code of documented.keys()) {
      assert.ok(codes.has(code), `docs/errors.md lists ${code}, which no exported class has`)
    }
  })

  it('every wire code but OK has exactly one class, and errorFromWire builds it', () => {
    for (const wireName of wireNames) {
      const owners = coded.filter(([name, { cls }]) => codesOf(name, cls).includes(wireName))
      assert.equal(owners.length, 1, `${wireName} has ${owners.length} classes`)
      const [name, { cls }] = owners[0] as [string, Found]
      const err = errorFromWire(ErrorCode[wireName], 'from the wire')
      assert.equal(err.constructor, cls, `errorFromWire(${wireName}) is ${err.name}, not ${name}`)
      assert.equal(err.code, wireName)
      assert.equal(err.message, 'from the wire')
    }
  })

  it('errorFromWire(wireCodeOf(err)) round-trips every error', () => {
    for (const [name, { cls }] of coded) {
      for (const code of codesOf(name, cls)) {
        const err = instance(name, cls, code)
        const wire = wireCodeOf(err)
        const back = errorFromWire(wire, err.message)
        const sentAs = protocol.errorCodeName(wire)
        assert.ok(sentAs !== undefined && sentAs !== 'OK', `${name} is sent as ${wire}`)
        assert.equal(back.code, sentAs, `${name} comes back as ${back.code}`)
        // an error with a wire code comes back as itself; a local one as the class of the
        // wire code it is sent as
        const expected = code in ErrorCode ? cls : classOfCode.get(sentAs)
        assert.equal(back.constructor, expected, `${name} comes back as ${back.name}`)
      }
    }
  })

  it('anything else is INTERNAL, and an unknown wire number arrives as a RemoteError', () => {
    assert.equal(wireCodeOf(new Error('boom')), ErrorCode.INTERNAL)
    assert.equal(wireCodeOf('not even an error'), ErrorCode.INTERNAL)
    const unknown = errorFromWire(9999, 'from the future')
    assert.ok(unknown instanceof peer.RemoteError)
    assert.equal(unknown.code, 'INTERNAL')
    assert.match(unknown.message, /9999/)
  })

  it('EmptyRingError is a RangeError and a RingdhtError; plain errors are not RingdhtErrors', () => {
    const err = new ring.EmptyRingError()
    assert.ok(err instanceof RangeError)
    assert.ok(err instanceof RingdhtError)
    assert.ok(!(err instanceof peer.RingError))
    assert.ok(!(new RangeError('x') instanceof RingdhtError))
    assert.ok(!(new peer.InvalidInputError('x') instanceof peer.KeyTooLargeError))
  })
})
