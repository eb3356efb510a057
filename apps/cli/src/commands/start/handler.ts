import { ringIdToHex } from '@ringdht/ring'
import { resolveBootstrapAddrs } from '../../bootstrap.js'
import { describeConfig, resolveStartConfig } from '../../config.js'
import { CliError, UnreachableError } from '../../errors.js'
import { type Health, serveHealth } from '../../health.js'
import { summarizeDetail } from '../../log-details.js'
import { createLogger } from '../../logger.js'
import { createPeer, type RingPeer } from '../../peer.js'
import { checkDataDir, checkListenPorts } from '../../preflight.js'
import { privateRingMismatch } from '../../private-ring.js'
import { readSwarmKey } from '../../psk.js'
import { markLongRunning } from '../../run.js'
import { exitOnSignals, watchParent } from '../../signals.js'
import {
  checkHttpPort,
  type HttpGateway,
  libp2pMetrics,
  readHttpToken,
  startHttpGateway,
} from './http.js'

export interface StartFlags {
  listen?: string[]
  announce?: string[]
  bootstrap?: string[]
  bootstrapOptional?: boolean
  dataDir?: string
  memory?: boolean
  psk?: string
  replicas?: string
  writeQuorum?: string
  maxKeyBytes?: string
  maxValueBytes?: string
  bootstrapTimeoutMs?: string
  logLevel?: string
  logFormat?: string
  healthSocket?: string
  idDifficulty?: string
  allowlist?: string
  clientQueueAdmin?: boolean
  maxClockDriftMs?: string
  topicRetainMessages?: string
  topicRetainMs?: string
  topicFanoutThreshold?: string
  config?: string
  http?: string
  httpPublic?: boolean
  httpTokenFile?: string
}

const PEER_EVENTS = [
  'peer:joined',
  'peer:left',
  'successor:changed',
  'predecessor:changed',
  'keys:transferred',
  'keys:received',
] as const

export async function startHandler(flags: StartFlags): Promise<void> {
  const config = resolveStartConfig({ flags: { ...flags } })
  const logger = createLogger({ level: config.logLevel, format: config.logFormat })
  logger.info(
    { config: describeConfig(config) },
    'configuration (the PSK file contents are never logged)',
  )

  const psk = config.psk != null ? await readSwarmKey(config.psk) : undefined
  if (!config.memory) await checkDataDir(config.dataDir)
  await checkListenPorts(config.listen)
  if (config.http !== undefined) await checkHttpPort(config.http)
  const httpToken =
    config.httpTokenFile !== undefined ? await readHttpToken(config.httpTokenFile) : undefined

  // A signal during start-up (a slow bootstrap) must stop us too.
  markLongRunning()
  const startup = new AbortController()
  let peer: RingPeer | undefined
  let gateway: HttpGateway | undefined
  let joined = false
  let stopping = false
  let closeHealth: (() => Promise<void>) | undefined
  let bootstrap: string[] = []
  exitOnSignals(logger, async () => {
    stopping = true
    startup.abort()
    await gateway?.stop()
    await peer?.stop()
    await closeHealth?.()
  })
  watchParent(() => {
    logger.warn('the process that started this daemon is gone; stopping')
  })

  if (config.healthSocket != null) {
    closeHealth = await serveHealth(config.healthSocket, (): Health => {
      if (stopping) return { ok: false, state: 'stopping' }
      if (peer === undefined || !joined) return { ok: false, state: 'starting' }
      const successors = peer.routingSnapshot().successors.length
      // a seed (no bootstrap peer answered) alone is a ring of one; a joiner alone lost its ring
      const alone = successors === 0 && bootstrap.length > 0
      return {
        ok: !alone,
        state: alone ? 'alone' : 'ok',
        peerId: peer.peerId.toString(),
        successors,
      }
    })
  }

  const deadline = Date.now() + config.bootstrapTimeoutMs
  try {
    bootstrap = await resolveBootstrapAddrs(config.bootstrap, {
      psk,
      pskFile: config.psk,
      deadline,
      logger,
      signal: startup.signal,
    })
  } catch (err) {
    if (!config.bootstrapOptional || startup.signal.aborted) throw err
    logger.warn(
      { bootstrap: config.bootstrap, reason: (err as Error).message },
      'no bootstrap peer answered; starting a new ring (--bootstrap-optional)',
    )
  }
  if (bootstrap.length > 0) logger.info({ bootstrap }, 'joining through')

  const metrics = config.http === undefined ? undefined : await libp2pMetrics()
  try {
    peer = await createPeer({
      listen: [...config.listen],
      announce: [...config.announce],
      bootstrap,
      dataDir: config.memory ? undefined : config.dataDir,
      psk,
      replicas: config.replicas,
      writeQuorum: config.writeQuorum,
      idDifficulty: config.idDifficulty,
      maxClockDriftMs: config.maxClockDriftMs,
      topicRetention: { maxEntries: config.topicRetainMessages, maxAgeMs: config.topicRetainMs },
      ...(config.allowlist === undefined ? {} : { allowlistFile: config.allowlist }),
      clientQueueAdmin: config.clientQueueAdmin,
      topicFanoutThreshold: config.topicFanoutThreshold,
      limits: { maxKeyBytes: config.maxKeyBytes, maxValueBytes: config.maxValueBytes },
      logger: logger.child({ component: 'peer' }),
      ...(metrics === undefined ? {} : { metrics: metrics.metrics }),
    })
  } catch (err) {
    throw startFailure('could not start', err)
  }
  for (const type of PEER_EVENTS) {
    peer.addEventListener(type, (event) => {
      logger.info({ event: type, detail: summarizeDetail((event as CustomEvent).detail) }, type)
    })
  }
  try {
    await peer.ready
  } catch (err) {
    await peer.stop().catch(() => {})
    const mismatch = await privateRingMismatch(bootstrap, config.psk)
    if (mismatch != null) throw new UnreachableError(mismatch, { cause: err })
    throw startFailure('could not join the ring', err)
  }
  if (config.http !== undefined) {
    try {
      gateway = await startHttpGateway(peer, config, psk, httpToken, metrics?.registry, logger)
    } catch (err) {
      await peer.stop().catch(() => {})
      throw startFailure('could not start the HTTP gateway', err)
    }
  }
  joined = true
  logger.info(
    {
      peerId: peer.peerId.toString(),
      ringId: ringIdToHex(peer.ringId),
      multiaddrs: peer.getMultiaddrs().map((addr) => addr.toString()),
      ...(gateway === undefined ? {} : { http: gateway.url }),
    },
    'ready',
  )
}

function startFailure(what: string, err: unknown): Error {
  if (err instanceof CliError) return err
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err)
  const code = (err as { code?: string })?.code
  const reason = code === 'EADDRINUSE' || /EADDRINUSE/.test(message ?? '') ? 'port in use' : message
  return new CliError(`${what}: ${reason}`, { cause: err })
}
