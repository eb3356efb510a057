import { Command, Option } from 'commander'
import { addClientOptions, addExamples, lazyAction } from '../shared.js'

export function getCommand(): Command {
  const command = new Command('get')
    .description(
      'print the value of a key: the raw bytes on stdout (plus a newline on a terminal); exit 1 when the key is absent',
    )
    .argument('<key>', 'the key (UTF-8 text)')
    .option('--trace', 'print the hops the request took to stderr')
    .option(
      '--json',
      'print {"key","value"} as JSON (with "valueEncoding":"base64" for binary values), an import line',
    )
    .addOption(
      new Option(
        '--consistency <level>',
        "'quorum': the newest of R replicas (sees every acknowledged write); 'one': the owner's copy alone (faster, may be stale while a member returns)",
      )
        .choices(['quorum', 'one'])
        .default('quorum'),
    )
    .action(lazyAction(() => import('./handler.js'), 'getHandler'))
  addClientOptions(command)
  return addExamples(
    command,
    'ringdht get greeting --peer /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...',
    'ringdht get greeting --consistency one',
    'RINGDHT_PEER=/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... ringdht get photo > photo.jpg',
  )
}
