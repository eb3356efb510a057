import { type Command, Option } from 'commander'

/** The options every query command takes: which member to dial and how. */
export function addClientOptions(command: Command): Command {
  return command
    .addOption(new Option('--peer <multiaddr>', 'any member of the ring (env RINGDHT_PEER)'))
    .addOption(new Option('--psk <file>', 'swarm key file of a private ring (env RINGDHT_PSK)'))
    .addOption(
      new Option(
        '--timeout <ms>',
        'per-request deadline in ms (env RINGDHT_TIMEOUT_MS, default 10000)',
      ),
    )
    .addOption(new Option('--config <file>', 'JSON config file (env RINGDHT_CONFIG)'))
}

/** "Example:" block under a command's help. */
export function addExamples(command: Command, ...lines: string[]): Command {
  return command.addHelpText(
    'after',
    `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((line) => `  ${line}`).join('\n')}\n`,
  )
}

/**
 * A command action whose handler module is imported only when that command runs, so a
 * process loads the code of the one command it runs: the daemon (`start`) never loads the
 * query commands and their dependencies, nor does `get` load the daemon's (HTTP gateway,
 * metrics). Measured in apps/bench/RESULTS.md (issue 16 memory).
 */
export function lazyAction<Module, Name extends keyof Module>(
  load: () => Promise<Module>,
  name: Name,
): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    const handler = (await load())[name] as (...args: unknown[]) => unknown
    await handler(...args)
  }
}
