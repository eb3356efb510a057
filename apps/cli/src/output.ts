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
 * A one-line progress bar on stderr, redrawn at most every 100 ms; silent when stderr is
 * not a terminal (pipes and CI logs get only the summary line).
 */
export class ProgressBar {
  private readonly enabled: boolean
  private lastDraw = 0

  constructor(
    private readonly label: string,
    private readonly total: number | undefined,
    stream: NodeJS.WriteStream = process.stderr,
    private readonly out = stream,
  ) {
    this.enabled = stream.isTTY === true
  }

  update(done: number, failed = 0): void {
    if (!this.enabled) return
    const now = Date.now()
    if (now - this.lastDraw < 100 && done !== this.total) return
    this.lastDraw = now
    const failedText = failed > 0 ? `, ${failed} failed` : ''
    if (this.total != null && this.total > 0) {
      const width = 30
      const filled = Math.min(width, Math.round((done / this.total) * width))
      const percent = Math.floor((done / this.total) * 100)
      this.out.write(
        `\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${this.total} ${percent}%${failedText}`,
      )
    } else {
      this.out.write(`\r${this.label} ${done}${failedText}`)
    }
  }

  finish(): void {
    if (this.enabled) this.out.write('\r\x1b[K')
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}
