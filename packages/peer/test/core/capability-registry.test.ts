import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MessageType } from '@ringdht/protocol'
import type { Capability } from '../../src/core/capability.js'
import { CapabilityRegistry } from '../../src/core/capability-registry.js'
import { InvalidInputError } from '../../src/errors.js'
import { silent } from '../stubs.js'

const A = 1001 as MessageType
const B = 1002 as MessageType

function capability(
  name: string,
  handles: MessageType[],
  hooks: Partial<Capability> = {},
): Capability {
  return { name, handles, handle: async () => ({ message: name }), ...hooks }
}

describe('CapabilityRegistry', () => {
  it('finds the capability that serves a type, and none for unknown types', () => {
    const registry = new CapabilityRegistry([MessageType.PING], silent)
    const a = capability('a', [A])
    registry.register(a)
    assert.equal(registry.handlerOf(A), a)
    assert.equal(registry.handlerOf(B), undefined)
  })

  it('refuses a duplicate name, a reserved type and a type another capability serves', () => {
    const registry = new CapabilityRegistry([MessageType.PING], silent)
    registry.register(capability('a', [A]))
    assert.throws(() => registry.register(capability('a', [B])), InvalidInputError)
    assert.throws(() => registry.register(capability('b', [MessageType.PING])), /the ring core/)
    assert.throws(() => registry.register(capability('b', [B, A])), /a does/)
    assert.equal(registry.handlerOf(B), undefined, 'a refused capability claims nothing')
  })

  it('calls every hook even when one capability fails in it, and stops in reverse order', async () => {
    const calls: string[] = []
    const registry = new CapabilityRegistry([], silent)
    registry.register(
      capability('a', [A], {
        rangesChanged: () => {
          throw new Error('boom')
        },
        stop: async () => {
          calls.push('stop a')
        },
        leave: async () => {
          throw new Error('boom')
        },
      }),
    )
    registry.register(
      capability('b', [B], {
        rangesChanged: () => calls.push('ranges b'),
        stop: async () => {
          calls.push('stop b')
        },
        leave: async () => {
          calls.push('leave b')
        },
        describe: async () => ({ keyCount: 3 }),
      }),
    )
    registry.rangesChanged()
    await registry.leave(new AbortController().signal)
    await registry.stop()
    assert.deepEqual(calls, ['ranges b', 'leave b', 'stop b', 'stop a'])
    assert.deepEqual(await registry.describe({ start: 0n, end: 0n }), { keyCount: 3 })
  })
})
