import { Command, Option } from 'commander'
import { addClientOptions, addExamples } from '../shared.js'
import { exportHandler } from './handler.js'

export function exportCommand(): Command {
  const command = new Command('export')
    .description(
      'write every key in the ring as JSON lines {"key": ..., "value": ...}: UTF-8 text where possible, ' +
        'base64 with "encoding": "base64" otherwise',
    )
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .addOption(
      new Option('--encoding <encoding>', 'force one encoding for every line')
        .choices(['auto', 'base64'])
        .default('auto'),
    )
    .action(exportHandler)
  addClientOptions(command)
  return addExamples(
    command,
    'ringdht export --peer /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... > backup.jsonl',
    'ringdht export -o backup.jsonl --encoding base64',
  )
}
