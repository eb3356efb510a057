import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createClient, type RingClient } from '@ringdht/peer'
import { freePorts, killAll, NODE, spawnDaemon, tempDir } from './helpers.js'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const MIB = 1024 * 1024

/** Resident memory of a process, in bytes, from /proc. */
async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN)
  return kb * 1024
}

/**
 * A process that asks a daemon for a large value many times on several streams, then
 * stops reading: it SIGSTOPs itself, so its socket fills up for real (an in-process
 * reader would keep draining the socket into memory).
 */
const ATTACKER = `
import { createNode } from ${JSON.stringify(join(ROOT, 'packages/peer/dist/src/core/libp2p-node.js'))}
import { multiaddr } from ${JSON.stringify(join(ROOT, 'packages/peer/node_modules/@multiformats/multiaddr/dist/src/index.js'))}
import { encodeFrame, encodeRequest, MessageType, RPC_PROTOCOL } from ${JSON.stringify(join(ROOT, 'packages/protocol/dist/src/index.js'))}
const [target, key, streams, requests] = process.argv.slice(2)
const node = await createNode({ listen: [], psk: undefined, muxer: 'mplex', maxStreamBufferBytes: 8 << 20 })
const opened = []
for (let s = 0; s < Number(streams); s++) opened.push(await node.dialProtocol(multiaddr(target), RPC_PROTOCOL))
for (const stream of opened) {
  for (let i = 0; i < Number(requests); i++) {
    stream.send(encodeFrame(encodeRequest({ id: i + 1, type: MessageType.GET, key: new TextEncoder().encode(key), maxHops: 8 })))
  }
}
process.stdout.write('sent\\n')
process.kill(process.pid, 'SIGSTOP')
`

describe('a daemon against a peer that asks and never reads', () => {
  let client: RingClient | undefined
  let attacker: ChildProcess | undefined
  let remove: (() => Promise<void>) | undefined

  after(async () => {
    attacker?.kill('SIGKILL')
    await client?.close()
    killAll()
    await remove?.()
  })

  let daemonPid = 0
  let address = ''
  let attackerScript = ''
  before(async () => {
    const dir = await tempDir('ringdht-hostile-')
    remove = dir.remove
    attackerScript = join(dir.path, 'attacker.mjs')
    const port = await freePorts(1)
    const daemon = spawnDaemon([
      'start',
      '--listen',
      `/ip4/127.0.0.1/tcp/${port}`,
      '--memory',
      '--replicas',
      '1',
      '--write-quorum',
      '1',
    ])
    const ready = await daemon.ready
    daemonPid = daemon.pid
    address =
      ready.multiaddrs.find((m) => m.includes('/p2p/')) ??
      `${ready.multiaddrs[0]}/p2p/${ready.peerId}`
    client = await createClient({ peer: address })
    await client.put('big', new Uint8Array(MIB).fill(7))
    await client.put('small', 'fine')
    await writeFile(attackerScript, ATTACKER)
  })

  it('cuts the reader off with a bounded buffer while honest requests keep being answered', async (t) => {
    assert.ok(client)
    const honest = client
    for (let i = 0; i < 20; i++) await honest.get('small') // warm
    const baseline = await rssOf(daemonPid)
    attacker = spawn(NODE, [attackerScript, address, 'big', '8', '64'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    await new Promise<void>((resolve, reject) => {
      attacker?.stdout?.once('data', () => resolve())
      attacker?.once('exit', (code) => reject(new Error(`attacker exited with ${code}`)))
    })
    // 8 streams x 64 answers of 1 MiB would be 512 MiB if answers queued for it; watch the
    // daemon through the drain deadline (10 s by default) while an honest client works
    let peak = baseline
    let answered = 0
    const until = Date.now() + 13_000
    while (Date.now() < until) {
      const found = await honest.get('small')
      assert.equal(new TextDecoder().decode(found?.value), 'fine')
      answered++
      peak = Math.max(peak, await rssOf(daemonPid))
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const growth = peak - baseline
    t.diagnostic(
      `daemon RSS ${Math.round(baseline / MIB)} MiB -> peak ${Math.round(peak / MIB)} MiB; ${answered} honest gets answered`,
    )
    assert.ok(growth < 160 * MIB, `RSS grew by ${Math.round(growth / MIB)} MiB`)
    assert.ok(answered > 20, `honest requests answered during the attack: ${answered}`)
    process.kill(daemonPid, 0) // alive
    const after = await honest.get('big')
    assert.equal(after?.value.byteLength, MIB)
  })
})
