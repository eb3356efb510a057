/** `pnpm bench -- fanout [options]`: a topic home's load with 1 vs many subscribers, tree on and off (run-fanout.ts). */
import { Command, InvalidArgumentError } from 'commander'
import { defaultFanoutOptions, renderFanoutReport, runFanout } from './run-fanout.js'

function intList(value: string, min: number): number[] {
  return value.split(',').map((part) => {
    const parsed = Number(part.trim())
    if (!Number.isInteger(parsed) || parsed < min) {
      throw new InvalidArgumentError(`each must be an integer ≥ ${min}`)
    }
    return parsed
  })
}

export function fanoutCommand(argvForCommand: () => string[]): Command {
  return new Command('fanout')
    .description(
      "a topic home's requests/s, CPU and publish-to-deliver latency, 1 vs many subscribers, with and without relays",
    )
    .option('--json', 'print the JSON report instead of Markdown', false)
    .option('--quick', 'a smoke run: 3 nodes, 1 and 40 subscribers, 30 messages', false)
    .option('--subscribers <list>', 'subscriber counts (default 1,200)', (v) => intList(v, 1))
    .option('--thresholds <list>', 'fan-out thresholds compared, 0: off (default 16,0)', (v) =>
      intList(v, 0),
    )
    .option('--messages <n>', 'messages per case (default 200)', (v) => intList(v, 1)[0])
    .action(async (flags: Record<string, unknown>) => {
      const options = defaultFanoutOptions(flags.quick === true)
      options.subscribers = (flags.subscribers as number[] | undefined) ?? options.subscribers
      options.thresholds = (flags.thresholds as number[] | undefined) ?? options.thresholds
      options.messages = (flags.messages as number | undefined) ?? options.messages
      const report = await runFanout(
        options,
        `pnpm bench -- ${argvForCommand().join(' ')}`,
        (line) => process.stderr.write(`${line}\n`),
      )
      process.stdout.write(
        `${flags.json === true ? JSON.stringify(report, null, 2) : renderFanoutReport(report)}\n`,
      )
    })
}
