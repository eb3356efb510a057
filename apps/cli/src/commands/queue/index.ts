import { Command } from 'commander'
import { addClientOptions, addExamples, lazyAction } from '../shared.js'

export function queueCommand(): Command {
  const command = new Command('queue').description(
    'a work queue’s stats, settings and dead letters (tasks: enqueue, work)',
  )
  const stats = new Command('stats')
    .description(
      'ready, delayed, leased and dead tasks, settings, and per-worker in-flight and done',
    )
    .argument('<queue>', 'the queue (UTF-8 text)')
    .option('--json', 'print JSON')
    .action(lazyAction(() => import('./handler.js'), 'statsHandler'))
  const config = new Command('config')
    .description('change how the queue dispatches and retries; prints every setting')
    .argument('<queue>', 'the queue (UTF-8 text)')
    .option(
      '--policy <policy>',
      'round-robin (in turn) or least-loaded (fewest in flight per capacity)',
    )
    .option('--max-attempts <n>', 'leases before a task is dead-lettered')
    .option('--lease <duration>', 'how long a worker holds a task: 30s, 5m')
    .option(
      '--backoff <duration>',
      'pause before a nacked task is offered again (doubles per attempt)',
    )
    .option('--max-backoff <duration>', 'longest such pause')
    .option('--json', 'print JSON')
    .action(lazyAction(() => import('./handler.js'), 'configHandler'))
  const dead = new Command('dead')
    .description('the dead letters, oldest first: TASK ATTEMPTS ERROR PAYLOAD per line')
    .argument('<queue>', 'the queue (UTF-8 text)')
    .option('--limit <n>', 'at most this many (default 100)')
    .option('--json', 'print JSON lines')
    .action(lazyAction(() => import('./handler.js'), 'deadHandler'))
  const replay = new Command('replay')
    .description('offer dead letters again with their attempts reset; prints how many')
    .argument('<queue>', 'the queue (UTF-8 text)')
    .argument('[tasks...]', 'the task ids (default: every dead letter)')
    .option('--json', 'print JSON')
    .action(lazyAction(() => import('./handler.js'), 'replayHandler'))
  for (const sub of [stats, config, dead, replay]) command.addCommand(addClientOptions(sub))
  return addExamples(
    command,
    'ringdht queue stats thumbnails',
    'ringdht queue config thumbnails --policy least-loaded --lease 2m',
    'ringdht queue dead thumbnails && ringdht queue replay thumbnails',
  )
}
