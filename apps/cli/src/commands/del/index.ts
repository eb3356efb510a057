import { Command } from 'commander'
import { addClientOptions, addExamples, lazyAction } from '../shared.js'

export function delCommand(): Command {
  const command = new Command('del')
    .alias('delete')
    .description('delete a key (succeeds whether or not it existed)')
    .argument('<key>', 'the key (UTF-8 text)')
    .option('--trace', 'print the hops the request took to stderr')
    .option('--json', 'print the result as JSON on stdout')
    .action(lazyAction(() => import('./handler.js'), 'delHandler'))
  addClientOptions(command)
  return addExamples(command, 'ringdht del greeting --peer /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...')
}
