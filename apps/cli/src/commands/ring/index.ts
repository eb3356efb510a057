import { Command } from 'commander'
import { addClientOptions, addExamples, lazyAction } from '../shared.js'

export function ringCommand(): Command {
  const command = new Command('ring')
    .description('list the members in ring order: ranges they own, key counts, replication health')
    .option('--json', 'print the members as a JSON array')
    .option('--svg <file>', 'also draw the ring (arcs, key counts, health) as SVG into FILE')
    .action(lazyAction(() => import('./handler.js'), 'ringHandler'))
  addClientOptions(command)
  return addExamples(
    command,
    'ringdht ring --peer /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...',
    'ringdht ring --json | jq length',
    'ringdht ring --svg ring.svg',
  )
}
