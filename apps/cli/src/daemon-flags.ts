/**
 * V8 settings for the long-running daemon (`ringdht start`), which must be given to node at
 * launch: V8 sizes its heap when the process starts, so `v8.setFlagsFromString` later has no
 * effect on them. bin.ts re-executes the process in place (`process.execve`, same pid, same
 * file descriptors) with the flags added, before it loads anything else.
 *
 * Why (apps/bench/RESULTS.md, issue 16 memory, has the figures and the CPU they cost):
 * - `--max-semi-space-size=2`: V8 sizes the young generation from the machine's memory, up
 *   to 2 × 64 MiB of semi-spaces here, and a member that has served a busy minute keeps all
 *   of it committed: most of a loaded member's anonymous memory. 1 MiB promotes too early
 *   and grows the old generation instead.
 * - `--heap-growing-percent=20`: the old generation may grow to 1.2 × what survived the last
 *   full GC before the next one (V8 otherwise picks up to 4 ×), so the members that
 *   coordinate the most writes stop holding tens of MiB of garbage between collections.
 */

/** The flags a daemon runs with unless its operator set them (NODE_OPTIONS or node's argv). */
export const DAEMON_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=2',
  '--heap-growing-percent=20',
]

/**
 * The node argv (without the binary itself) to run `ringdht start` with, or undefined when
 * nothing is to change: another command, or every flag already set by the operator.
 */
export function daemonRelaunchArgs(
  argv: readonly string[],
  execArgv: readonly string[],
  nodeOptions: string | undefined,
): string[] | undefined {
  if (argv[2] !== 'start') return undefined
  // V8 accepts --max_semi_space_size and --max-semi-space-size alike
  const named = (flag: string) => (flag.split('=')[0] as string).replaceAll('_', '-')
  const given = new Set([...execArgv, ...(nodeOptions ?? '').split(/\s+/)].map(named))
  const missing = DAEMON_NODE_FLAGS.filter((flag) => !given.has(named(flag)))
  if (missing.length === 0) return undefined
  return [...execArgv, ...missing, ...argv.slice(1)]
}

/** Re-execute this process with the daemon's flags when it is `ringdht start` without them. */
export function relaunchWithDaemonFlags(): void {
  const args = daemonRelaunchArgs(process.argv, process.execArgv, process.env.NODE_OPTIONS)
  // process.execve is missing on Windows: the daemon then runs with V8's own sizes
  if (args === undefined || typeof process.execve !== 'function') return
  process.execve(process.execPath, [process.execPath, ...args], process.env)
}
