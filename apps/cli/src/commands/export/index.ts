import { Command, Option } from 'commander'
import { addClientOptions, addExamples, lazyAction } from '../shared.js'

export function exportCommand(): Command {
  const command = new Command('export')
    .description(
      'write every key in the ring as JSON lines {"key": ..., "value": ...}: each of key and value as UTF-8 ' +
        'text when it is, as base64 otherwise (marked "keyEncoding"/"valueEncoding": "base64"); `import` reads it back byte for byte',
    )
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .addOption(
      new Option('--encoding <encoding>', 'base64: write every key and value in base64')
        .choices(['auto', 'base64'])
        .default('auto'),
    )
    .option('-q, --quiet', 'no progress bar (it is shown only when stderr is a terminal)')
    .action(lazyAction(() => import('./handler.js'), 'exportHandler'))
  addClientOptions(command)
  return addExamples(
    command,
    'ringdht export --peer /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... > backup.jsonl',
    'ringdht export -o backup.jsonl --encoding base64',
  )
}
