/**
 * One ring member as its own process, for the fault suite: it can be killed (SIGKILL),
 * paused (SIGSTOP / SIGCONT), stopped gracefully (SIGTERM) and restarted on the same
 * port and data folder. argv[2] is its JSON config; it prints `READY <peer id>` once joined.
 */
import { join } from 'node:path'
import { pino } from 'pino'
import { createPeer } from '../../src/create-peer.js'

interface DaemonConfig {
  listen: string
  bootstrap: string[]
  dataDir: string
  timers: Record<string, number>
}

const config = JSON.parse(process.argv[2] ?? '{}') as DaemonConfig
// RINGDHT_FAULT_LOGS=DIR: each member appends its debug log to DIR/<port>.log, to find
// out afterwards who answered what (the history names the answering member)
const logDir = process.env.RINGDHT_FAULT_LOGS
const logger =
  logDir === undefined || logDir === ''
    ? undefined
    : pino(
        { level: 'debug' },
        pino.destination({
          dest: join(logDir, `${config.listen.replaceAll('/', '_')}.log`),
          sync: false,
          mkdir: true,
        }),
      )
const peer = await createPeer({
  listen: [config.listen],
  bootstrap: config.bootstrap,
  dataDir: config.dataDir,
  timers: config.timers,
  ...(logger === undefined ? {} : { logger }),
})
process.on('SIGTERM', () => {
  void peer.stop().finally(() => process.exit(0))
})
try {
  await peer.ready
  process.stdout.write(`READY ${peer.peerId.toString()}\n`)
} catch (err) {
  process.stderr.write(`could not join: ${(err as Error).message}\n`)
  await peer.crash()
  process.exit(2)
}
