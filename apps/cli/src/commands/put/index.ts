import { Command } from 'commander'
import { addClientOptions, addExamples, lazyAction } from '../shared.js'

export function putCommand(): Command {
  const command = new Command('put')
    .description('store a value under a key (value from the argument, --file, or stdin)')
    .argument('<key>', 'the key (UTF-8 text)')
    .argument(
      '[value]',
      "the value (UTF-8 text; '' stores an empty value); omit to use --file or stdin (empty stdin is an error)",
    )
    .option('--file <file>', 'read the value from a file (- for stdin)')
    .option(
      '--ttl <duration>',
      'expire the key after this long (30s, 10m, 2h, 7d; at most ten years): it then reads as absent everywhere',
    )
    .option('--trace', 'print the hops the request took to stderr')
    .option('--json', 'print the result as JSON on stdout')
    .action(lazyAction(() => import('./handler.js'), 'putHandler'))
  addClientOptions(command)
  return addExamples(
    command,
    'ringdht put greeting "hello world" --peer /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...',
    'ringdht put photo --file ./photo.jpg',
    'echo -n 42 | ringdht put answer',
    'ringdht put session-17 token --ttl 30m',
  )
}
