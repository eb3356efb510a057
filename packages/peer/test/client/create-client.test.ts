import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createClient } from '../../src/client/create-client.js'
import { InvalidInputError } from '../../src/errors.js'

// every check runs before the libp2p node is created, so none of these touches the network
describe('createClient option checks', () => {
  const peer = '/ip4/127.0.0.1/tcp/1'

  it('refuses an address that is not a multiaddr, or names no valid peer id', async () => {
    await assert.rejects(createClient({ peer: 'not an address' }), InvalidInputError)
    await assert.rejects(createClient({ peer: `${peer}/p2p/notapeerid` }), InvalidInputError)
  })

  it('refuses an unknown routing mode', async () => {
    const routing = 'sideways' as unknown as 'direct'
    await assert.rejects(createClient({ peer, routing }), /routing must be 'direct' or 'via-peer'/)
  })

  it('refuses counts and periods that are not positive integers, naming the option', async () => {
    for (const [name, value] of [
      ['refreshMs', 0],
      ['maxDirectPeers', -1],
      ['replicas', 1.5],
    ] as const) {
      await assert.rejects(
        createClient({ peer, [name]: value }),
        (err: Error) => err instanceof InvalidInputError && err.message.startsWith(`${name} must`),
        `${name} = ${value}`,
      )
    }
  })
})
