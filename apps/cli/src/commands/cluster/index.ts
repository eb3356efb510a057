import { Command } from 'commander'
import { addExamples, lazyAction } from '../shared.js'

export function clusterCommand(): Command {
  const command = new Command('cluster')
    .description(
      'run a local ring of N daemons on 127.0.0.1 (node i on port P+i, node 0 the seed) until Ctrl-C or SIGTERM',
    )
    .option('--nodes <n>', 'how many daemons', '5')
    .option('--base-port <port>', 'node i listens on port P+i', '4001')
    .option(
      '--data-dir <dir>',
      'node i keeps its data in DIR/node-i and logs to DIR/node-i.log (default: a temp folder, removed on exit)',
    )
    .option('--memory', 'keep data in memory only')
    .option('--psk <file>', 'make it a private ring with this swarm key')
    .option('--json', 'print the nodes as one JSON object when all are up')
    .option(
      '--http [port]',
      'serve HTTP from every node: node i on 127.0.0.1:PORT+i (default PORT 8080)',
    )
    .action(lazyAction(() => import('./handler.js'), 'clusterHandler'))
  return addExamples(
    command,
    'ringdht cluster --nodes 5',
    'ringdht cluster --nodes 5 --http         # node i serves http://127.0.0.1:808i',
    'ringdht cluster --nodes 3 --base-port 5001 --data-dir ./ring-data',
  )
}
