import { Command } from 'commander'
import { addClientOptions, addExamples, lazyAction } from '../shared.js'

export function watchCommand(): Command {
  const command = new Command('watch')
    .description(
      "print a key's changes (put, delete) in order as its owner applies them, one line each, until interrupted",
    )
    .argument('<key>', 'the key (UTF-8 text)')
    .option(
      '--from-version <v>',
      'replay the changes after this version (an HLC timestamp, as printed) from the key’s change log',
    )
    .option('--count <n>', 'exit after this many changes')
    .option('--json', 'print JSON lines: key, op, version, value, seq, appliedAt')
    .action(lazyAction(() => import('./handler.js'), 'watchHandler'))
  addClientOptions(command)
  return addExamples(
    command,
    'ringdht watch config/flags',
    'ringdht watch config/flags --json | jq -r .value',
    'ringdht watch config/flags --from-version 118394103922360320',
  )
}
