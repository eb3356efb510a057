import { Command } from 'commander'
import { addExamples, lazyAction } from '../shared.js'

export function pskCommand(): Command {
  const psk = new Command('psk').description('pre-shared keys for a private ring')
  const generate = new Command('generate')
    .description('write a new swarm key (libp2p pnet format) to FILE with mode 0600, or to stdout')
    .argument('[file]', 'where to write it; stdout when omitted')
    .option('--force', 'overwrite an existing file')
    .action(lazyAction(() => import('./handler.js'), 'pskGenerateHandler'))
  addExamples(
    generate,
    'ringdht psk generate swarm.key',
    'ringdht start --psk swarm.key ...   # every member and client needs the same file',
  )
  psk.addCommand(generate)
  return addExamples(psk, 'ringdht psk generate swarm.key')
}
