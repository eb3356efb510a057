import { Command } from 'commander'
import { addClientOptions, addExamples, lazyAction } from '../shared.js'

export function casCommand(): Command {
  const command = new Command('cas')
    .description(
      'compare-and-set a coordination register (linearizable; a keyspace apart from put/get): exit 1 when it held another value',
    )
    .argument('<key>', 'the register (UTF-8 text)')
    .argument('[expected]', 'the value it must hold (UTF-8 text)')
    .argument('[next]', 'the value to set (UTF-8 text)')
    .option('--absent', 'the register must hold no value: give KEY NEXT')
    .option('--delete', 'delete the value instead of setting one: give KEY EXPECTED')
    .option(
      '--fence <token>',
      'a fencing token (from `ringdht lock`): refused if a higher one wrote',
    )
    .option(
      '--lock <name>',
      'the lock that granted --fence: a token above its latest grant is refused',
    )
    .option('--json', 'print the result (succeeded, value, version) as JSON on stdout')
    .action(lazyAction(() => import('./handler.js'), 'casHandler'))
  addClientOptions(command)
  return addExamples(
    command,
    'ringdht cas --absent leader-config v1      # create it only if nobody did',
    'ringdht cas leader-config v1 v2 || echo "someone else changed it"',
    'ringdht cas jobs/state idle busy --fence "$RINGDHT_LOCK_TOKEN" --lock "$RINGDHT_LOCK_NAME"',
  )
}
