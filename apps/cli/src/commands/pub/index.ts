import { Command } from 'commander'
import { addClientOptions, addExamples, lazyAction } from '../shared.js'

export function pubCommand(): Command {
  const command = new Command('pub')
    .description('publish a message on a topic; prints its sequence number once W replicas hold it')
    .argument('<topic>', 'the topic (UTF-8 text, at most 256 bytes)')
    .argument('[message]', 'the message (UTF-8 text); - or nothing: read it from stdin')
    .option('--lines', 'publish each line of stdin as a message of its own, in order')
    .option('--json', 'print {"topic","seq"} as JSON')
    .option('--retain-count <n>', "first set the topic's retention: keep at most n messages")
    .option('--retain-ms <ms>', "first set the topic's retention: drop messages older than ms")
    .action(lazyAction(() => import('./handler.js'), 'pubHandler'))
  addClientOptions(command)
  return addExamples(
    command,
    'ringdht pub deploys "v42 is live"',
    'tail -f app.log | ringdht pub logs --lines',
    'ringdht pub deploys "v43" --retain-count 1000 --retain-ms 86400000',
  )
}
