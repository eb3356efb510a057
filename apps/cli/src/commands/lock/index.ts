import { Command } from 'commander'
import { addClientOptions, addExamples, lazyAction } from '../shared.js'

export function lockCommand(): Command {
  const command = new Command('lock')
    .description(
      'run a command while holding a lock (waits for it; the fencing token is in RINGDHT_LOCK_TOKEN); exits with the command’s code, 4 if the lock was lost',
    )
    .argument('<name>', 'the lock (UTF-8 text)')
    .argument('<command...>', 'the command and its arguments, after --')
    .option('--ttl <ms>', 'the lease: renewed every ttl/3, lost if renewals stop (default 10000)')
    .action(lazyAction(() => import('./handler.js'), 'lockHandler'))
  addClientOptions(command)
  return addExamples(
    command,
    'ringdht lock backups -- ./backup.sh /srv/data',
    'ringdht lock jobs -- sh -c \'ringdht cas jobs/state idle busy --fence "$RINGDHT_LOCK_TOKEN" --lock "$RINGDHT_LOCK_NAME"\'',
  )
}
