import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type HistoryLine, parseHistory, renderTrend } from '../src/history.js'
import { defaultOptions } from '../src/options.js'
import { buildPairedCase } from '../src/paired-case.js'
import { bracketFloor } from '../src/paired-session.js'
import {
  blockTimeLimitMs,
  describePlan,
  floorOpsAt,
  isCapped,
  opsPerBlockAt,
  worstPhaseMs,
} from '../src/plan.js'
import { othersShare, parseCpuLine, parseProcStat, parsePsTime } from '../src/process-cost.js'
import { packageOf, selfTime, topRows } from '../src/profile-summary.js'
import { compareRuns, repeatVerdict } from '../src/repeat-check.js'
import type { BlockFigures } from '../src/results.js'
import { replaceGeneratedSection, SECTION_END, SECTION_START } from '../src/results-section.js'

function block(p50: number, extra: Partial<BlockFigures> = {}): BlockFigures {
  return {
    p50,
    p99: p50 * 3,
    opsPerSec: 1000 / p50,
    completed: 100,
    failures: 0,
    notRun: 0,
    memberCpuS: 0.1,
    clientCpuS: 0.05,
    othersCpuShare: 0.25,
    elapsedMs: 100,
    ...extra,
  }
}

describe('block plans and caps', () => {
  it('keeps at least two rounds of the concurrency in a block', () => {
    const plan = { blocks: 5, opsPerBlock: 20, minRounds: 2, phaseTimeLimitMs: 45_000 }
    assert.equal(opsPerBlockAt(plan, 1), 20)
    assert.equal(opsPerBlockAt(plan, 32), 64)
    assert.equal(opsPerBlockAt({ ...plan, minRounds: 8 }, 32), 256)
    assert.equal(floorOpsAt(200, 1), 200)
    assert.equal(floorOpsAt(200, 32), 256)
    assert.equal(blockTimeLimitMs(plan), 9_000)
    assert.equal(worstPhaseMs(plan), 45_000)
    assert.match(
      describePlan('kad-dht', plan, [1, 32]),
      /5 blocks of 20 at c=1, 64 at c=32.*45 s \(9 s per block\)/,
    )
  })

  it('caps kad-dht in the default run and not in the long one', () => {
    const normal = defaultOptions()
    const long = defaultOptions('long')
    assert.equal(isCapped(normal.anchor, normal.paired), true)
    assert.equal(isCapped(long.anchor, long.paired), false)
  })
})

describe('paired case', () => {
  it('takes medians of per-block ratios and CPU per 1,000 operations', () => {
    const pairs = [1, 2, 3, 4].map((i) => ({
      floor: block(0.2 * i),
      system: block(0.4 * i, { meanHops: 0 }),
    }))
    pairs.push({
      floor: block(0.2),
      system: block(0, { completed: 0, notRun: 100 }),
    })
    const c = buildPairedCase({
      system: 'ringdht',
      nodes: 16,
      concurrency: 1,
      op: 'get',
      floorOp: 'open-stream',
      opsPerBlock: 100,
      floorOpsPerBlock: 100,
      blocksPlanned: 5,
      pairs,
      backgroundCores: 0.5,
    })
    assert.equal(c.ratios.p50.median, 2)
    assert.equal(c.ratios.p50.blocks, 4, 'the block that completed nothing is left out')
    assert.equal(c.cappedBlocks, 1)
    assert.equal(c.notRun, 100)
    assert.equal(c.completed, 400)
    // 5 blocks × 0.1 s members over 400 operations
    assert.equal(c.cpuSPer1kOps.members, 1.25)
    assert.equal(c.cpuSPer1kOps.floorServer, 1)
    // (0.5 s − 0.5 cores × 5 × 0.1 s) over 400 operations
    assert.equal(c.cpuSPer1kOps.membersNet, 0.625)
    assert.equal(c.meanHops, 0)
    // (5 × 0.15 s over 400 operations) ÷ (5 × 0.15 s over 500 round trips)
    assert.equal(c.cpuPerOpVsFloor, 1.25)
    assert.equal(c.ratios.cpuPerOp.median, 1, 'per block: 0.15 s over 100 operations on both sides')
    assert.equal(c.quietBlocks, 4)
    assert.equal(c.quietP50, undefined, 'fewer than 5 quiet blocks give no quiet ratio')
  })
})

describe('process cost parsing', () => {
  it('reads utime + stime from /proc/<pid>/stat, even with spaces in the name', () => {
    const stat =
      '123 (node (main) x) S 1 2 3 0 -1 4194304 10 0 0 0 250 50 0 0 20 0 11 0 100 999 4000 0'
    const parsed = parseProcStat(stat)
    assert.equal(parsed.cpuSeconds, 3)
    assert.equal(parsed.rssPages, 4000)
  })

  it('reads the machine-wide busy and total ticks, and the share others used', () => {
    const before = parseCpuLine('cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3')
    assert.deepEqual(before, { busy: 150, total: 1000 })
    // 10 s of capacity later, 6 s busy, 2 s of it ours: others took 40 %
    const after = { busy: before.busy + 600, total: before.total + 1000 }
    assert.equal(othersShare(before, after, 2), 0.4)
    assert.equal(othersShare(undefined, after, 2), 0)
  })

  it('reads ps time', () => {
    assert.equal(parsePsTime('01:02'), 62)
    assert.equal(parsePsTime('1-00:00:05'), 86_405)
  })
})

describe('repeat check', () => {
  const headline = (name: string, median: number, anchor = false) => ({
    name,
    kind: 'latency' as const,
    othersCpuShare: 0.1,
    cpuPerOpVsFloor: 3,
    paired: true,
    anchor,
    spread: {
      median,
      min: median,
      max: median,
      ci95: [median, median] as [number, number],
      blocks: 10,
    },
  })
  it('compares each headline across runs', () => {
    const result = compareRuns([
      [headline('get', 2.0), headline('put', 4), headline('kad', 100, true)],
      [headline('get', 2.1), headline('put', 6), headline('kad', 150, true)],
      [headline('get', 1.9), headline('put', 4.1), headline('kad', 90, true)],
    ])
    assert.deepEqual(
      result.map((r) => [r.name, r.agree]),
      [
        ['get', true],
        ['put', false],
        ['kad', false],
      ],
    )
    assert.equal(repeatVerdict(result), false)
    assert.equal(
      repeatVerdict(result.filter((r) => r.name !== 'put')),
      true,
      'anchors do not count',
    )
  })
})

describe('history and RESULTS.md section', () => {
  const line: HistoryLine = {
    date: '2026-12-02T02:00:00.000Z',
    commit: 'abc1234',
    command: 'pnpm bench',
    durationS: 300,
    machine: { cpus: 2, cpuModel: 'x', memoryGiB: 23.5, loadAverage: [1.5, 2] },
    headlines: {
      'ringdht get p50 ÷ floor, N=16 c=1': {
        median: 2.5,
        min: 2,
        max: 3,
        ci95: [2.2, 2.8],
        blocks: 10,
      },
    },
    targetsMet: 3,
    targets: 6,
  }

  it('parses lines and skips a damaged one', () => {
    const parsed = parseHistory(
      `${JSON.stringify(line)}\n{"date": broken\n\n${JSON.stringify(line)}\n`,
    )
    assert.equal(parsed.length, 2)
  })

  it('renders the trend with median and interval per run', () => {
    const trend = renderTrend([line, { ...line, commit: 'def5678' }])
    assert.match(trend, /ringdht get p50 ÷ floor, N=16 c=1/)
    assert.match(trend, /2\.50 \[2\.20–2\.80\]/)
    assert.match(trend, /def5678/)
    assert.equal(renderTrend([]), '(no runs recorded yet)')
  })

  it('replaces only the text between the markers, or appends the section', () => {
    const doc = `# Results\n\nby hand\n\n${SECTION_START}\nold\n${SECTION_END}\n\n## After\n`
    const updated = replaceGeneratedSection(doc, 'new tables')
    assert.match(updated, /by hand/)
    assert.match(updated, /new tables/)
    assert.doesNotMatch(updated, /\nold\n/)
    assert.match(updated, /## After/)
    const appended = replaceGeneratedSection('# Results\n', 'first')
    assert.ok(appended.startsWith('# Results\n\n'))
    assert.ok(appended.includes(`${SECTION_START}\n\nfirst\n\n${SECTION_END}`))
  })
})

describe('floor bracketing', () => {
  it('compares a system block with the mean of the floor blocks around it', () => {
    const floor = bracketFloor(block(0.2), block(0.4))
    assert.equal(floor.p50, 0.3)
    assert.equal(floor.completed, 100)
    assert.equal(floor.memberCpuS, 0.1)
  })
})

describe('profile summary', () => {
  it('names the package a frame belongs to', () => {
    const pnpm = '/w/node_modules/.pnpm/@chainsafe+libp2p-noise@17/node_modules/'
    assert.equal(
      packageOf(`file://${pnpm}@chainsafe/libp2p-noise/dist/src/x.js`, 'f'),
      '@chainsafe/libp2p-noise',
    )
    assert.equal(
      packageOf('file:///w/node_modules/.pnpm/a@1/node_modules/weald/x.js', 'f'),
      'weald',
    )
    assert.equal(packageOf('file:///w/packages/peer/dist/src/core/x.js', 'f'), '@ringdht/peer')
    assert.equal(packageOf('node:net', 'f'), 'node (internals)')
    assert.equal(packageOf('node:inspector', 'post'), '(profiler)')
    assert.equal(packageOf('', '(garbage collector)'), '(gc)')
  })

  it('adds up self time, leaving idle and the profiler out', () => {
    const frame = (id: number, functionName: string, url: string) => ({
      id,
      callFrame: { functionName, url, lineNumber: 0 },
    })
    const profile = {
      nodes: [
        frame(1, '(idle)', ''),
        frame(2, 'send', 'file:///w/packages/peer/dist/src/a.js'),
        frame(3, 'post', 'node:inspector'),
      ],
      samples: [1, 2, 2, 3],
      timeDeltas: [500, 100, 200, 50],
    }
    const time = selfTime(profile)
    assert.equal(time.busyUs, 300)
    assert.equal(time.byPackage.get('@ringdht/peer'), 300)
    assert.deepEqual(topRows(time.byPackage, time.busyUs, 1000, 5), [
      '| @ringdht/peer | 100.0% | 1000 |',
    ])
  })
})
