import { Command } from 'commander'
import { addClientOptions, addExamples, lazyAction } from '../shared.js'

export function enqueueCommand(): Command {
  const command = new Command('enqueue')
    .description(
      'add a task to a work queue; prints its place in the queue once a write quorum holds it',
    )
    .argument('<queue>', 'the queue (UTF-8 text)')
    .argument('[payload]', 'the task (UTF-8 text); - or nothing: read it from stdin')
    .option('--file <path>', 'read the payload from a file')
    .option('--delay <duration>', 'not before this much time passed: 500ms, 30s, 5m, 2h')
    .option('--priority <n>', 'higher runs first, from -1000 to 1000 (default 0)')
    .option('--dedupe <id>', 'a task with this id already known is returned instead of added')
    .option('--json', 'print {queue, taskId, duplicate, bytes} as JSON')
    .action(lazyAction(() => import('./handler.js'), 'enqueueHandler'))
  addClientOptions(command)
  return addExamples(
    command,
    'ringdht enqueue thumbnails photos/cat.jpg',
    'jq -c .[] jobs.json | while read -r job; do echo "$job" | ringdht enqueue jobs -; done',
  )
}
