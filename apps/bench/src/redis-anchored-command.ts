import { RedisMissingError } from './queues/run-queues.js'
import { RESULTS_PATH, writeResultsSection } from './results-section.js'

/**
 * The end every Redis-anchored bench command shares (queues, messaging): run it (without
 * redis-server: say so and exit 2), print the Markdown report or, with `--json`, the
 * report itself, and with `--write-results` rewrite its section of RESULTS.md.
 */
export async function runAndReport<R>(
  name: string,
  flags: { json?: unknown; writeResults?: unknown },
  run: (progress: (line: string) => void) => Promise<R>,
  render: (report: R) => string,
  markers: { start: string; end: string },
): Promise<void> {
  const say = (line: string) => process.stderr.write(`${line}\n`)
  let report: R
  try {
    report = await run(say)
  } catch (err) {
    if (!(err instanceof RedisMissingError)) throw err
    say(`${name}: not run: ${err.message}`)
    process.exit(2)
  }
  const markdown = render(report)
  process.stdout.write(
    flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : `${markdown}\n`,
  )
  if (flags.writeResults === true) {
    writeResultsSection(markdown, RESULTS_PATH, markers)
    say(`RESULTS.md: ${name} section rewritten`)
  }
}
