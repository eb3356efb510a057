import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ProgressBar } from '../src/output.js'

/** A stand-in for stderr that records what is drawn; a terminal unless told otherwise. */
function fakeStderr(isTTY: boolean): NodeJS.WriteStream & { drawn: string } {
  const stream = {
    isTTY,
    columns: 100,
    drawn: '',
    write(chunk: string) {
      stream.drawn += chunk
      return true
    },
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    on: () => stream,
    removeListener: () => stream,
  }
  return stream as unknown as NodeJS.WriteStream & { drawn: string }
}

describe('progress bars (import, export)', () => {
  it('draws on a terminal, with the count and the failures', () => {
    const stderr = fakeStderr(true)
    const bar = new ProgressBar('importing', 10, { stream: stderr })
    bar.update(4, 1)
    bar.update(10, 1)
    bar.finish()
    assert.match(stderr.drawn, /importing \[/)
    assert.match(stderr.drawn, /10\/10 100%, 1 failed/)
  })

  it('stays silent in a pipe and with --quiet', () => {
    for (const [stream, quiet] of [
      [fakeStderr(false), false],
      [fakeStderr(true), true],
    ] as const) {
      const bar = new ProgressBar('exporting', undefined, { stream, quiet })
      bar.update(5)
      bar.finish()
      assert.equal(stream.drawn, '', `tty ${stream.isTTY}, quiet ${quiet}`)
    }
  })
})
