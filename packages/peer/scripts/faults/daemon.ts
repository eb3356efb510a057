/**
 * One ring member as its own process, for the fault suite: it can be killed (SIGKILL),
 * paused (SIGSTOP / SIGCONT), stopped gracefully (SIGTERM) and restarted on the same
 * port and data folder. argv[2] is its JSON config; it prints `READY <peer id>` once joined.
 */
import { createPeer } from '../../src/create-peer.js'

interface DaemonConfig {
  listen: string
  bootstrap: string[]
  dataDir: string
  timers: Record<string, number>
}

const config = JSON.parse(process.argv[2] ?? '{}') as DaemonConfig
const peer = await createPeer({
  listen: [config.listen],
  bootstrap: config.bootstrap,
  dataDir: config.dataDir,
  timers: config.timers,
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
