import { Presets, SingleBar } from 'cli-progress'

/** Plain-text table with left-aligned columns, for `ring` and `status`. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd()
  return [line(headers), ...rows.map(line)].join('\n')
}

/** Peer ids are long; the tail is what people compare. */
export function shortPeerId(peerId: string): string {
  return peerId.length > 16 ? `…${peerId.slice(-10)}` : peerId
}

/**
 * A one-line progress bar on stderr (cli-progress), redrawn at most every 100 ms; silent
 * when stderr is not a terminal (pipes and CI logs get only the summary line) or when the
 * user asked for `--quiet`. Without a total it counts up.
 */
export class ProgressBar {
  readonly #bar: SingleBar | undefined
  #started = false

  constructor(
    label: string,
    private readonly total: number | undefined,
    options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {},
  ) {
    const stream = options.stream ?? process.stderr
    if (options.quiet === true || stream.isTTY !== true) return
    this.#bar = new SingleBar(
      {
        stream,
        fps: 10,
        hideCursor: false,
        clearOnComplete: true,
        format:
          total === undefined
            ? `${label} {value}{failedText}`
            : `${label} [{bar}] {value}/{total} {percentage}%{failedText}`,
      },
      Presets.legacy,
    )
  }

  update(done: number, failed = 0): void {
    if (this.#bar === undefined) return
    const payload = { failedText: failed > 0 ? `, ${failed} failed` : '' }
    if (!this.#started) {
      this.#started = true
      this.#bar.start(this.total ?? 0, done, payload)
    } else {
      this.#bar.update(done, payload)
    }
  }

  finish(): void {
    if (this.#bar !== undefined && this.#started) this.#bar.stop()
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}
