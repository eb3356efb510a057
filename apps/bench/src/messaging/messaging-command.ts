/** `pnpm bench -- messaging [options]`: topics against Redis pub/sub and gossipsub (run-messaging.ts). */
import { Command, InvalidArgumentError } from 'commander'
import { runAndReport } from '../redis-anchored-command.js'
import { renderMessagingReport } from './messaging-report.js'
import { defaultMessagingOptions, runMessaging } from './run-messaging.js'

export const MESSAGING_MARKERS = {
  start: '<!-- bench:messaging:start (pnpm bench -- messaging --write-results) -->',
  end: '<!-- bench:messaging:end -->',
}

function positiveInt(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new InvalidArgumentError('must be a positive integer')
  return parsed
}

function count(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError('must be a whole number (0 skips)')
  return parsed
}

function intList(value: string): number[] {
  return value.split(',').map((part) => positiveInt(part.trim()))
}

export function messagingCommand(argvForCommand: () => string[]): Command {
  return new Command('messaging')
    .description(
      'topics against Redis 7 pub/sub and @libp2p/gossipsub, in one run (needs redis-server on PATH)',
    )
    .option('--json', 'print the JSON report instead of Markdown', false)
    .option('--quick', 'a smoke run: 3 nodes, 1 and 5 subscribers, small counts', false)
    .option('--nodes <n>', 'ringdht daemons and gossipsub relays (default 5)', positiveInt)
    .option('--subscribers <list>', 'subscriber counts of the latency case (default 1,50)', intList)
    .option('--latency-messages <n>', 'messages per latency case (default 200)', positiveInt)
    .option('--topics <list>', 'topic counts of the throughput case (default 1,100)', intList)
    .option('--messages <n>', 'messages per throughput case (default 2000)', positiveInt)
    .option(
      '--kill-messages <n>',
      'messages of the member-kill case, 0 skips (default 1000)',
      count,
    )
    .option('--case-limit <s>', 'wall-time cap of one case on one system (default 60)', positiveInt)
    .option('--write-results', 'rewrite the messaging section of apps/bench/RESULTS.md', false)
    .action(async (flags: Record<string, unknown>) => {
      const options = defaultMessagingOptions(flags.quick === true)
      const num = (name: string) => flags[name] as number | undefined
      options.nodes = num('nodes') ?? options.nodes
      options.subscribers = (flags.subscribers as number[] | undefined) ?? options.subscribers
      options.latencyMessages = num('latencyMessages') ?? options.latencyMessages
      options.topics = (flags.topics as number[] | undefined) ?? options.topics
      options.throughputMessages = num('messages') ?? options.throughputMessages
      options.kill.messages = num('killMessages') ?? options.kill.messages
      const limit = num('caseLimit')
      if (limit !== undefined) options.caseTimeLimitMs = limit * 1000
      await runAndReport(
        'messaging',
        flags,
        (progress) =>
          runMessaging({
            options,
            command: `pnpm bench -- ${argvForCommand().join(' ')}`,
            progress,
          }),
        renderMessagingReport,
        MESSAGING_MARKERS,
      )
    })
}
