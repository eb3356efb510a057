import { type ChildMessage, isRequestMessage, MAX_LIFETIME_ENV } from './messages.js'
import { profilerCommands } from './profiler.js'

/** A command a child process answers; its result must survive structured clone. */
export type CommandHandler = (args: never) => Promise<unknown>

export interface ServeInit {
  /** Commands by name. `stop` is reserved: it runs `stop` below then exits. */
  commands: Record<string, CommandHandler>
  /** Releases what the child holds (libp2p nodes, clients); bounded by a timeout. */
  stop: () => Promise<void>
  /** Information sent with the ready message (addresses, peer id). */
  info: Record<string, unknown>
}

const STOP_TIMEOUT_MS = 5_000

function send(message: ChildMessage): void {
  if (process.send === undefined || !process.connected) return
  process.send(message)
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`
  return String(err)
}

let stopping = false

async function stopAndExit(stop: () => Promise<void>, code: number): Promise<never> {
  if (!stopping) {
    stopping = true
    const timer = setTimeout(() => process.exit(code), STOP_TIMEOUT_MS)
    timer.unref()
    try {
      await stop()
    } catch {
      // the process is going away; nothing left to report to
    }
  }
  process.exit(code)
}

/**
 * Installs the lifetime guards every bench child needs before it does any work:
 * exit when the driver goes away (IPC disconnect), and exit after a maximum
 * lifetime so a forgotten process cannot outlive a bounded run.
 */
export function guardChildLifetime(stop: () => Promise<void> = async () => {}): void {
  if (process.send === undefined) {
    throw new Error('bench child processes must be started with an IPC channel')
  }
  process.on('disconnect', () => {
    void stopAndExit(stop, 0)
  })
  const maxLifetime = Number(process.env[MAX_LIFETIME_ENV] ?? 0)
  if (maxLifetime > 0) {
    const timer = setTimeout(() => {
      process.stderr.write(`bench child ${process.pid}: maximum lifetime reached, exiting\n`)
      void stopAndExit(stop, 3)
    }, maxLifetime)
    timer.unref()
  }
}

/** Reports a start-up failure to the driver and exits. */
export function failChild(err: unknown): never {
  send({ kind: 'fatal', error: describe(err) })
  process.exit(1)
}

/**
 * Answers the driver's commands until told to stop. Every command answers
 * exactly once, with its result or its error message.
 */
export function serveCommands(init: ServeInit): void {
  process.removeAllListeners('disconnect')
  process.on('disconnect', () => {
    void stopAndExit(init.stop, 0)
  })
  process.on('message', (message: unknown) => {
    if (!isRequestMessage(message)) return
    const { id, command, args } = message
    if (command === 'stop') {
      void (async () => {
        try {
          await init.stop()
        } catch {
          // reported by the exit code below
        }
        stopping = true
        send({ kind: 'response', id, ok: true })
        process.exit(0)
      })()
      return
    }
    const handler = init.commands[command] ?? (profilerCommands as ServeInit['commands'])[command]
    if (handler === undefined) {
      send({ kind: 'response', id, ok: false, error: `unknown command ${command}` })
      return
    }
    handler(args as never).then(
      (result) => send({ kind: 'response', id, ok: true, result }),
      (err: unknown) => send({ kind: 'response', id, ok: false, error: describe(err) }),
    )
  })
  send({ kind: 'ready', info: init.info })
}
