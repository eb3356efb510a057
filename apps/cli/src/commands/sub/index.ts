import { Command } from 'commander'
import { addClientOptions, addExamples, lazyAction } from '../shared.js'

export function subCommand(): Command {
  const command = new Command('sub')
    .description(
      "print a topic's messages in order as they are published, one line each, until interrupted",
    )
    .argument('<topic>', 'the topic (UTF-8 text)')
    .option('--from <seq>', 'start at this sequence number (replay what the topic retains)')
    .option('--count <n>', 'exit after this many messages')
    .option('--json', 'print JSON lines: topic, seq, message, publishedAt')
    .action(lazyAction(() => import('./handler.js'), 'subHandler'))
  addClientOptions(command)
  return addExamples(
    command,
    'ringdht sub deploys',
    'ringdht sub deploys --from 1 --json | jq .message',
  )
}
