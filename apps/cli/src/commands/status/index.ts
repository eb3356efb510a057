import { Command } from 'commander'
import { addClientOptions, addExamples, lazyAction } from '../shared.js'

export function statusCommand(): Command {
  const command = new Command('status')
    .description(
      "show one member's own view: identity, range, neighbours, fingers, key count; exit 0 when it answers",
    )
    .option('--json', 'print the status as JSON')
    .action(lazyAction(() => import('./handler.js'), 'statusHandler'))
  addClientOptions(command)
  return addExamples(
    command,
    'ringdht status --peer /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...',
    'ringdht status --peer /ip4/127.0.0.1/tcp/4001 --json   # as a health check',
  )
}
