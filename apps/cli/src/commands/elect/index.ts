import { Command } from 'commander'
import { addClientOptions, addExamples, lazyAction } from '../shared.js'

export function electCommand(): Command {
  const command = new Command('elect')
    .description(
      'campaign to lead an election (lease-based), print the term, and lead until interrupted or while a command runs; --observe prints leader changes',
    )
    .argument('<name>', 'the election (UTF-8 text)')
    .argument('[command...]', 'a command to run while leading, after --')
    .option('--id <id>', 'this candidate’s name, shown to observers (default: random)')
    .option('--ttl <ms>', 'the leader’s lease: renewed every ttl/3 (default 5000)')
    .option('--observe', 'print "LEADER TERM" each time the leader changes, until interrupted')
    .option('--json', 'print JSON lines')
    .action(lazyAction(() => import('./handler.js'), 'electHandler'))
  addClientOptions(command)
  return addExamples(
    command,
    'ringdht elect scheduler --id "$(hostname)" -- ./run-scheduler.sh',
    'ringdht elect scheduler --observe',
  )
}
