import { Command } from 'commander'
import { casCommand } from './commands/cas/index.js'
import { clusterCommand } from './commands/cluster/index.js'
import { delCommand } from './commands/del/index.js'
import { electCommand } from './commands/elect/index.js'
import { enqueueCommand } from './commands/enqueue/index.js'
import { exportCommand } from './commands/export/index.js'
import { getCommand } from './commands/get/index.js'
import { importCommand } from './commands/import/index.js'
import { lockCommand } from './commands/lock/index.js'
import { pskCommand } from './commands/psk/index.js'
import { pubCommand } from './commands/pub/index.js'
import { putCommand } from './commands/put/index.js'
import { queueCommand } from './commands/queue/index.js'
import { ringCommand } from './commands/ring/index.js'
import { addExamples } from './commands/shared.js'
import { startCommand } from './commands/start/index.js'
import { statusCommand } from './commands/status/index.js'
import { subCommand } from './commands/sub/index.js'
import { watchCommand } from './commands/watch/index.js'
import { workCommand } from './commands/work/index.js'

export const VERSION = '0.1.0'

/** The `ringdht` command tree. Commander errors (bad flags) print one line plus a hint. */
export function createProgram(): Command {
  const program = new Command('ringdht')
    .description('ringdht: a peer-to-peer distributed hash table on libp2p')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
  for (const command of [
    startCommand(),
    clusterCommand(),
    putCommand(),
    getCommand(),
    delCommand(),
    casCommand(),
    lockCommand(),
    electCommand(),
    enqueueCommand(),
    workCommand(),
    queueCommand(),
    pubCommand(),
    subCommand(),
    watchCommand(),
    importCommand(),
    exportCommand(),
    ringCommand(),
    statusCommand(),
    pskCommand(),
  ]) {
    program.addCommand(command)
  }
  applyRecursively(program, (command) => {
    command.exitOverride()
    command.showHelpAfterError('(run with --help for usage)')
    // commander's "error: ..." lines speak with the same voice as every other message
    command.configureOutput({
      outputError: (text, write) => write(text.replace(/^error: /, 'ringdht: ')),
    })
  })
  addExamples(
    program,
    'ringdht cluster --nodes 5                  # a local ring; prints the address to query',
    'export RINGDHT_PEER=/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...',
    'ringdht put hello world && ringdht get hello',
  )
  return program.addHelpText('after', EXIT_CODES_HELP)
}

/** The exit codes, as the README lists them (a test keeps the two and `ExitCode` in step). */
export const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    not found: \`get\` of a key the ring does not hold; \`cas\`: the register held another value
  2    usage: bad command line, config, environment, input file or input line
  3    unreachable: cannot connect, private ring without the right --psk, or no answer in time
  4    failed: the ring answered with an error (quorum not reached, keys not imported), or the daemon failed
  70   internal error (a bug; the stack trace is printed)
  141  stdout closed by its reader (\`| head\`); quiet, as with cat
`

function applyRecursively(command: Command, apply: (command: Command) => void): void {
  apply(command)
  for (const sub of command.commands) applyRecursively(sub, apply)
}
