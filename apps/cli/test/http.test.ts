import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import {
  type Daemon,
  freePorts,
  isCleanFailure,
  killAll,
  killGroup,
  runCli,
  spawnDaemon,
  tail,
  tempDir,
  waitFor,
} from './helpers.js'

/**
 * `ringdht cluster --http` end to end: real daemons, HTTP from outside, and the ring page
 * in a real headless Chromium (Debian's `chromium`; the browser part is skipped, with the
 * reason printed, when it is not installed). Every process is SIGKILLed in `after`.
 */
interface ClusterNode {
  index: number
  pid: number
  peerId: string
  multiaddr: string
  http: string
}

/** The little of the DOM the page checks use (they run in the browser; the tests have no DOM types). */
interface PageElement {
  textContent: string | null
  getAttribute(name: string): string | null
}
declare const document: {
  querySelector(selector: string): PageElement | null
  querySelectorAll(selector: string): Iterable<PageElement> & { length: number }
}

const CHROMIUM = process.env.RINGDHT_CHROMIUM ?? '/usr/bin/chromium'
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url))

describe('ringdht cluster --http', { timeout: 240_000 }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let cluster: Daemon
  let nodes: ClusterNode[] = []
  const extraPids: number[] = []

  before(async () => {
    dir = await tempDir('ringdht-http-')
    // ring ports base..base+4, HTTP ports base+5..base+9
    const basePort = await freePorts(10)
    const httpPort = basePort + 5
    cluster = spawnDaemon([
      'cluster',
      '--nodes',
      '5',
      '--base-port',
      String(basePort),
      '--http',
      String(httpPort),
      '--memory',
      '--json',
    ])
    const summary = await Promise.race([
      waitFor(
        'the cluster summary',
        () => {
          const line = cluster.logs.find((entry) => entry.startsWith('{"dataDir"'))
          return line != null ? (JSON.parse(line) as { nodes: ClusterNode[] }) : undefined
        },
        { timeoutMs: 120_000, intervalMs: 200 },
      ),
      cluster.exited.then((code) => {
        throw new Error(`the cluster exited with ${code}`)
      }),
    ]).catch((err: Error) => {
      throw new Error(`${err.message}\n${tail(cluster.logs)}`)
    })
    nodes = summary.nodes
    extraPids.push(...nodes.map((node) => node.pid))
    // every node's gateway sees the whole ring: joins have settled
    await waitFor(
      'every gateway to list 5 live members',
      async () => {
        for (const node of nodes) {
          const ring = (await (await fetch(`${node.http}/v1/ring`)).json()) as {
            members: Array<{ state: string }>
          }
          if (ring.members.length !== 5 || ring.members.some((m) => m.state !== 'ok')) return false
        }
        return true
      },
      { timeoutMs: 60_000 },
    )
  })

  after(async () => {
    killAll(extraPids)
    await dir?.remove()
  })

  it('gives each node its own HTTP port', () => {
    assert.equal(nodes.length, 5)
    const urls = new Set(nodes.map((node) => node.http))
    assert.equal(urls.size, 5)
    for (const node of nodes)
      assert.match(node.http, /^http:\/\/127\.0\.0\.1:\d+$/, `node ${node.index}`)
  })

  it('puts through one node and reads through every other, as bytes, with the path on request', async () => {
    const value = Buffer.from([0, 1, 2, 250, 255, 10, 13])
    const first = nodes[0] as ClusterNode
    const put = await fetch(`${first.http}/v1/kv/e2e%2Fhttp`, { method: 'PUT', body: value })
    assert.equal(put.status, 200, await put.clone().text())
    for (const node of nodes) {
      const got = await fetch(`${node.http}/v1/kv/e2e%2Fhttp?trace=1`)
      assert.equal(got.status, 200, `node ${node.index}`)
      assert.deepEqual(Buffer.from(await got.arrayBuffer()), value, `node ${node.index}`)
      const path = got.headers.get('x-ringdht-path')?.split(',') ?? []
      assert.ok(path.length >= 1, `node ${node.index} reports a path`)
    }
    // the CLI sees what HTTP wrote
    const cli = await runCli(['get', 'e2e/http', '--peer', first.multiaddr])
    assert.equal(cli.code, 0, cli.stderr)
    assert.deepEqual(cli.stdoutBytes.subarray(0, value.length), value)
    const deleted = await fetch(`${nodes[2]?.http}/v1/kv/e2e%2Fhttp`, { method: 'DELETE' })
    assert.equal(deleted.status, 200)
    assert.equal((await fetch(`${first.http}/v1/kv/e2e%2Fhttp`)).status, 404)
  })

  it('serves the ring, the status, metrics and the OpenAPI document', async () => {
    const node = nodes[1] as ClusterNode
    const ring = (await (await fetch(`${node.http}/v1/ring`)).json()) as {
      members: Array<{ peerId: string; state: string }>
    }
    assert.deepEqual(
      new Set(ring.members.map((m) => m.peerId)),
      new Set(nodes.map((n) => n.peerId)),
    )
    const status = (await (await fetch(`${node.http}/v1/status`)).json()) as { peerId: string }
    assert.equal(status.peerId, node.peerId)
    const metrics = await fetch(`${node.http}/metrics`)
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/)
    const text = await metrics.text()
    assert.match(text, /^# TYPE ringdht_requests_total counter$/m)
    assert.match(text, /^ringdht_membership_members_known \d+$/m)
    assert.match(text, /^ringdht_store_records\{scope="all"\} \d+$/m)
    // the node's libp2p metrics, in the same exposition
    assert.match(text, /^libp2p_data_transfer_bytes_total\{/m)
    const doc = (await (await fetch(`${node.http}/v1/openapi.json`)).json()) as {
      paths: Record<string, unknown>
    }
    assert.ok(doc.paths['/v1/kv/{key}'])
    const bad = await fetch(`${node.http}/v1/kv/x`, {
      method: 'PUT',
      body: Buffer.alloc(1024 * 1024 + 1),
    })
    assert.equal(bad.status, 413)
  })

  it('ringdht ring --svg draws the ring', async () => {
    const file = join(dir.path, 'ring.svg')
    const result = await runCli(['ring', '--peer', nodes[0]?.multiaddr ?? '', '--svg', file])
    assert.equal(result.code, 0, result.stderr)
    const svg = await readFile(file, 'utf8')
    assert.match(svg, /^<svg /)
    assert.equal(svg.match(/<g class="member"/g)?.length, 5)
  })

  it('the ring page, in headless Chromium, shows 5 members, then one failed and its arc taken over', {
    timeout: 90_000,
  }, async (t) => {
    if (!existsSync(CHROMIUM)) {
      t.skip(`no browser at ${CHROMIUM} (apt-get install chromium, or set RINGDHT_CHROMIUM)`)
      return
    }
    const { launch } = await import('puppeteer-core')
    const browser = await launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
      timeout: 30_000,
    })
    const browserPid = browser.process()?.pid
    try {
      const page = await browser.newPage()
      await page.setViewport({ width: 1280, height: 900 })
      const first = nodes[0] as ClusterNode
      await page.goto(`${first.http}/`, { waitUntil: 'domcontentloaded', timeout: 20_000 })
      await page.waitForFunction(
        () => document.querySelectorAll('#ring .member[data-state="ok"]').length === 5,
        { timeout: 20_000 },
      )
      assert.equal(await page.$$eval('#ring .arc', (arcs) => arcs.length), 5)

      // hovering a member lights up the arcs of its replica set (r = 3 members)
      await page.hover('#ring .member[data-state="ok"] circle')
      await page.waitForFunction(() => document.querySelectorAll('#ring .arc.hot').length === 3, {
        timeout: 10_000,
      })
      await page.mouse.move(5, 5)

      // the get/put box shows the path a request took
      await page.type('#key', 'from-the-page')
      await page.type('#value', 'hello')
      await page.click('#put')
      await page.waitForFunction(
        () => /200/.test(document.querySelector('#result')?.textContent ?? ''),
        {
          timeout: 10_000,
        },
      )
      await page.click('#get')
      await page.waitForFunction(
        () => /hello[\s\S]*path:/.test(document.querySelector('#result')?.textContent ?? ''),
        { timeout: 10_000 },
      )

      const victim = nodes[3] as ClusterNode
      killGroup(victim.pid, 'SIGKILL')
      await page.waitForFunction(
        (peerId: string) => {
          const member = document.querySelector(`#ring .member[data-peer-id="${peerId}"]`)
          const arcs = [...document.querySelectorAll('#ring .arc')]
          return (
            member?.getAttribute('data-state') === 'failed' &&
            arcs.length === 4 &&
            !arcs.some((arc) => arc.getAttribute('data-owner') === peerId) &&
            document.querySelectorAll('#ring .member[data-state="ok"]').length === 4
          )
        },
        { timeout: 45_000, polling: 250 },
        victim.peerId,
      )
      // its position now lies inside the arc of a live member
      const covered = await page.$$eval(
        '#ring .arc',
        (arcs, ringId) => {
          const hex = String(ringId)
          const position =
            (Number.parseInt(hex.slice(0, 8), 16) * 2 ** 32 + Number.parseInt(hex.slice(8), 16)) /
            2 ** 64
          return arcs.some((arc) => {
            const start = Number(arc.getAttribute('data-start'))
            const end = Number(arc.getAttribute('data-end'))
            return start < end
              ? position > start && position <= end
              : position > start || position <= end
          })
        },
        await page.$eval(`#ring .member[data-peer-id="${victim.peerId}"]`, (el) =>
          el.getAttribute('data-ring-id'),
        ),
      )
      assert.ok(covered, "the failed member's position is inside a live member's arc")
      await mkdir(ARTIFACTS, { recursive: true })
      const shot = join(ARTIFACTS, 'ring-page.png')
      await writeFile(shot, await page.screenshot({ fullPage: true }))
      t.diagnostic(`screenshot: ${shot}`)
    } finally {
      await browser.close().catch(() => {})
      if (browserPid !== undefined) killGroup(browserPid, 'SIGKILL')
    }
  })
})

describe('start --http, refused settings', { timeout: 60_000 }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  before(async () => {
    dir = await tempDir('ringdht-http-config-')
  })
  after(async () => {
    killAll()
    await dir?.remove()
  })

  it('refuses a bad --http address and a public gateway of a private ring, with one line', async () => {
    const bad = await runCli(['start', '--memory', '--http', 'localhost:99999'])
    assert.ok(isCleanFailure(bad), bad.stderr)
    assert.match(bad.stderr, /--http must be HOST:PORT or PORT/)
    const key = join(dir.path, 'swarm.key')
    assert.equal((await runCli(['psk', 'generate', key])).code, 0)
    const open = await runCli(['start', '--memory', '--psk', key, '--http', '0.0.0.0:18080'])
    assert.ok(isCleanFailure(open), open.stderr)
    assert.match(open.stderr, /loopback only; add --http-public/)
    const env = await runCli(
      [
        'start',
        '--memory',
        '--listen',
        '/ip4/127.0.0.1/tcp/0',
        '--http-token-file',
        join(dir.path, 'none'),
      ],
      {
        env: { RINGDHT_HTTP: '127.0.0.1:0' },
      },
    )
    assert.ok(isCleanFailure(env), env.stderr)
    assert.match(env.stderr, /HTTP token file .* no such file/)
  })
})
