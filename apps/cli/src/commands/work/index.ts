import { Command } from 'commander'
import { addClientOptions, addExamples, lazyAction } from '../shared.js'

export function workCommand(): Command {
  const command = new Command('work')
    .description(
      'work on a queue: run a command per task with the payload on stdin; exit 0 acks, anything else nacks (retried, then dead-lettered)',
    )
    .argument('<queue>', 'the queue (UTF-8 text)')
    .argument('<command...>', 'the command and its arguments, after --')
    .option('--concurrency <n>', 'tasks run at once (default 1)')
    .option('--capacity <n>', 'relative speed for the least-loaded policy (default: concurrency)')
    .option(
      '--max-tasks <n>',
      'stop after starting this many tasks (default: run until interrupted)',
    )
    .option('--name <name>', 'this worker’s name, shown in queue stats (default: random)')
    .option('--json', 'print a JSON line per task run (taskId, attempt, exitCode)')
    .action(lazyAction(() => import('./handler.js'), 'workHandler'))
  addClientOptions(command)
  return addExamples(
    command,
    'ringdht work thumbnails --concurrency 4 -- sh -c \'convert "$(cat)" -resize 128 out/$RINGDHT_TASK_ID.png\'',
    'ringdht work jobs -- ./handle-job.sh',
  )
}
