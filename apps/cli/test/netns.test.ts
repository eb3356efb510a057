import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  type Daemon,
  keyValueLines,
  killAll,
  runCli,
  spawnDaemon,
  tail,
  tempDir,
  waitFor,
} from './helpers.js'
import { composeServices, netnsUnavailable, type Service, Topology } from './netns.js'

/**
 * docker-compose.yml's five services, started through the CLI with the compose file's
 * own `command:` arguments (only the /data volume becomes a temp folder), each in its
 * own network namespace. Then a partition: one host cut off with iptables while the
 * rest keep serving reads and writes; after healing, nothing acknowledged is lost.
 */
const unavailable = netnsUnavailable()
if (unavailable != null)
  process.stdout.write(`# skipping the network-namespace tests: ${unavailable}\n`)

interface RingMember {
  peerId: string
}

describe('the docker-compose topology in network namespaces', {
  skip: unavailable,
  timeout: 600_000,
}, () => {
  const compose = composeServices()
  const topology = new Topology(compose.map((service) => service.name))
  const daemons = new Map<string, Daemon>()
  const addrs = new Map<string, string>()
  let dir: Awaited<ReturnType<typeof tempDir>>
  const onExit = () => topology.down()

  function service(name: string): Service {
    const found = topology.services.find((candidate) => candidate.name === name)
    assert.ok(found, `service ${name}`)
    return found
  }

  function start(target: Service): Daemon {
    const command = compose.find((entry) => entry.name === target.name)?.command ?? []
    const args = command.map((arg) => (arg === '/data' ? join(dir.path, target.name) : arg))
    const daemon = spawnDaemon(args, { wrap: topology.exec(target), readyTimeoutMs: 90_000 })
    daemons.set(target.name, daemon)
    return daemon
  }

  async function ring(via: string): Promise<RingMember[]> {
    const result = await runCli(['ring', '--json', '--peer', via, '--timeout', '4000'])
    assert.equal(result.code, 0, `ring: ${result.stderr}`)
    return JSON.parse(result.stdout) as RingMember[]
  }

  before(async () => {
    assert.equal(compose.length, 5, 'docker-compose.yml has 5 services with a one-line command')
    dir = await tempDir('ringdht-netns-')
    process.on('exit', onExit)
    topology.up()
    // compose: node1..4 wait for the seed's healthcheck
    const seed = service('seed')
    const seedReady = start(seed).ready
    await seedReady
    await waitFor(
      'the seed healthcheck (the compose `status` command, inside its namespace)',
      async () => {
        const health = await runCli(
          ['status', '--peer', '/ip4/127.0.0.1/tcp/4001', '--timeout', '4000'],
          {
            wrap: topology.exec(seed),
          },
        )
        return health.code === 0
      },
    )
    for (const target of topology.services.slice(1)) start(target)
    for (const target of topology.services) {
      const daemon = daemons.get(target.name) as Daemon
      const ready = await daemon.ready
      addrs.set(target.name, `/ip4/${target.address}/tcp/4001/p2p/${ready.peerId}`)
    }
  })

  after(async () => {
    killAll()
    topology.down()
    process.off('exit', onExit)
    await dir?.remove()
  })

  it('forms one ring of five, reachable from the host by address', async () => {
    await waitFor(
      '5 members seen from every service',
      async () => {
        for (const addr of addrs.values()) if ((await ring(addr)).length !== 5) return false
        return true
      },
      { timeoutMs: 60_000 },
    )
  })

  it('keeps serving through a partition and loses nothing acknowledged', async () => {
    const before = keyValueLines(200, 'before')
    const during = keyValueLines(100, 'during')
    const file = join(dir.path, 'before.jsonl')
    await writeFile(file, before.map((record) => JSON.stringify(record)).join('\n'))
    const seedAddr = addrs.get('seed') as string
    const imported = await runCli(['import', file, '--peer', seedAddr], { timeoutMs: 120_000 })
    assert.equal(imported.code, 0, `import before the partition: ${imported.stderr}`)

    const cut = service('node2')
    topology.partition(cut)
    try {
      const others = topology.services
        .filter((candidate) => candidate !== cut)
        .map((s) => addrs.get(s.name) as string)
      // writes: acknowledged ones are the lines import does not report as failed
      const duringFile = join(dir.path, 'during.jsonl')
      await writeFile(duringFile, during.map((record) => JSON.stringify(record)).join('\n'))
      const written = await runCli(
        ['import', duringFile, '--peer', others[1] as string, '--timeout', '5000'],
        {
          timeoutMs: 180_000,
        },
      )
      const failed = new Set(
        [...written.stderr.matchAll(/key "([^"]+)"/g)].map((match) => match[1]),
      )
      const acknowledged = during.filter(({ key }) => !failed.has(key))
      assert.ok(
        acknowledged.length >= 50,
        `most writes during the partition succeed (${acknowledged.length}/100)\n${written.stderr.slice(0, 2000)}`,
      )
      // reads through every reachable host, including keys the cut-off host owned
      for (const [index, addr] of others.entries()) {
        for (const { key, value } of before.filter((_, i) => i % 40 === index)) {
          await waitFor(
            `${key} through ${addr} during the partition`,
            async () => {
              const result = await runCli(['get', key, '--peer', addr, '--timeout', '4000'])
              return result.code === 0 && result.stdout === value
            },
            { timeoutMs: 60_000 },
          )
        }
      }
      topology.heal(cut)
      await waitFor(
        'the healed host back in the ring',
        async () => (await ring(seedAddr)).length === 5,
        {
          timeoutMs: 90_000,
        },
      )
      const exported = await runCli(['export', '--peer', addrs.get('node2') as string], {
        timeoutMs: 120_000,
      })
      assert.equal(exported.code, 0, `export after healing: ${exported.stderr}`)
      const seen = new Map(
        exported.stdout
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => {
            const record = JSON.parse(line) as { key: string; value: string }
            return [record.key, record.value] as const
          }),
      )
      const lost = [...before, ...acknowledged]
        .filter(({ key, value }) => seen.get(key) !== value)
        .map(({ key }) => key)
      assert.deepEqual(
        lost.slice(0, 20),
        [],
        `${lost.length} acknowledged keys lost\n${tail(daemons.get('node2')?.logs ?? [])}`,
      )
    } finally {
      topology.heal(cut)
    }
  })
})
