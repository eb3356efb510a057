import { Command } from 'commander'
import { addClientOptions, addExamples, lazyAction } from '../shared.js'

export function importCommand(): Command {
  const command = new Command('import')
    .description(
      'store every key of a JSON-lines file, one {"key": ..., "value": ...} per line: UTF-8 text, or base64 ' +
        'where the line says "keyEncoding": "base64" or "valueEncoding": "base64" (what `export` writes for ' +
        'binary data); stops at the first invalid line unless --skip-invalid',
    )
    .argument('<file>', 'JSON-lines file, or - for stdin')
    .option('--concurrency <n>', 'requests in flight', '16')
    .option(
      '--retries <n>',
      'send a write again this many times when it failed transiently (quorum not reached, timeout, busy or unreachable peer)',
      '3',
    )
    .option(
      '--skip-invalid',
      'skip invalid lines (each reported on stderr) and count them in the summary',
    )
    .option('--json', 'print the summary as JSON on stdout')
    .option('-q, --quiet', 'no progress bar (it is shown only when stderr is a terminal)')
    .action(lazyAction(() => import('./handler.js'), 'importHandler'))
  addClientOptions(command)
  return addExamples(
    command,
    'ringdht import keys.jsonl --peer /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...',
    'ringdht export --peer A | ringdht import - --peer B',
  )
}
