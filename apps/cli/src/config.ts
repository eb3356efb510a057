import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { ConfigError } from './errors.js'

/**
 * Where a setting can come from, strongest first: a command-line flag, an environment
 * variable `RINGDHT_<NAME>`, the JSON config file given by `--config FILE` (or
 * `RINGDHT_CONFIG`), the default. Every setting is resolved and validated once, then frozen.
 */
export type Source = 'flag' | 'env' | 'file' | 'default'

interface FieldSpec<T> {
  /** Env var suffix: `RINGDHT_${env}`. */
  env: string
  /** The flag as the user types it, when it is not the kebab-case of the setting's name. */
  flag?: string
  parse: (raw: unknown, where: string) => T
  default: T
}

type Specs<C> = { [K in keyof C]: FieldSpec<C[K]> }

export type Resolved<C> = Readonly<C> & { readonly sources: Readonly<Record<keyof C, Source>> }

export interface ResolveInput {
  flags: Record<string, unknown>
  env?: NodeJS.ProcessEnv
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message
    throw new ConfigError(`cannot read config file ${file}: ${reason}`, err)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(err as Error).message}`, err)
  }
  if (parsed == null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${file} must hold a JSON object`)
  }
  return parsed as Record<string, unknown>
}

function resolve<C extends object>(specs: Specs<C>, input: ResolveInput): Resolved<C> {
  const env = input.env ?? process.env
  const configFile = (input.flags.config as string | undefined) ?? env.RINGDHT_CONFIG
  const file = configFile != null && configFile !== '' ? readConfigFile(configFile) : {}
  const known = new Set(Object.keys(specs))
  for (const name of Object.keys(file)) {
    if (!known.has(name)) {
      throw new ConfigError(
        `config file ${configFile}: unknown setting "${name}" (known: ${[...known].join(', ')})`,
      )
    }
  }
  const out: Record<string, unknown> = {}
  const sources: Record<string, Source> = {}
  for (const [name, spec] of Object.entries(specs) as Array<[string, FieldSpec<unknown>]>) {
    const flag = input.flags[name]
    const envValue = env[`RINGDHT_${spec.env}`]
    if (flag !== undefined) {
      out[name] = spec.parse(flag, spec.flag ?? `--${kebab(name)}`)
      sources[name] = 'flag'
    } else if (envValue !== undefined && envValue !== '') {
      out[name] = spec.parse(envValue, `RINGDHT_${spec.env}`)
      sources[name] = 'env'
    } else if (file[name] !== undefined) {
      out[name] = spec.parse(file[name], `"${name}" in ${configFile}`)
      sources[name] = 'file'
    } else {
      out[name] = spec.default
      sources[name] = 'default'
    }
  }
  out.sources = Object.freeze(sources)
  return Object.freeze(out) as Resolved<C>
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
}

// ---- parsers: accept a flag string, an env string or a JSON value ----

function asString(raw: unknown, where: string): string {
  if (typeof raw !== 'string' || raw === '')
    throw new ConfigError(`${where} must be a non-empty string`)
  return raw
}

function asList(raw: unknown, where: string): string[] {
  if (Array.isArray(raw)) return raw.map((item) => asString(item, where))
  if (typeof raw === 'string') return raw.split(/[\s,]+/).filter((item) => item !== '')
  throw new ConfigError(`${where} must be a list of strings`)
}

function asMultiaddrs(raw: unknown, where: string): string[] {
  const list = asList(raw, where)
  for (const item of list) checkMultiaddr(item, where)
  return list
}

export function checkMultiaddr(text: string, where: string): string {
  let parsed: ReturnType<typeof multiaddr>
  try {
    parsed = multiaddr(text)
  } catch {
    throw new ConfigError(`${where}: not a multiaddr: "${text}" (example: /ip4/127.0.0.1/tcp/4001)`)
  }
  if (!text.startsWith('/')) {
    throw new ConfigError(`${where}: not a multiaddr: "${text}" (example: /ip4/127.0.0.1/tcp/4001)`)
  }
  const id = parsed.getComponents().find((part) => part.name === 'p2p')?.value
  if (id != null && !PEER_ID.test(id)) {
    throw new ConfigError(
      `${where}: "${id}" in ${text} is not a peer id (a base58 id such as 12D3KooW..., as \`ringdht cluster\` or the daemon's "ready" line prints it; or leave out /p2p/...)`,
    )
  }
  return text
}

/** A libp2p peer id in base58btc: an identity multihash (12D3KooW...) or a sha256 one (Qm...). */
const PEER_ID = /^(1|Qm)[1-9A-HJ-NP-Za-km-z]{40,}$/

/** Decimal digits only: `Number()` would also take "1e3", "0x10" and " 7 ". */
const DECIMAL = /^[0-9]+$/

function asInteger(raw: unknown, where: string, min: number): number {
  const value = typeof raw === 'string' && DECIMAL.test(raw) ? Number(raw) : raw
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    const what = min > 0 ? 'a positive integer' : `an integer of at least ${min}`
    throw new ConfigError(
      `${where} must be ${what}, got ${JSON.stringify(raw)} (decimal digits only)`,
    )
  }
  return value
}

function asPositiveInt(raw: unknown, where: string): number {
  return asInteger(raw, where, 1)
}

function asNonNegativeInt(raw: unknown, where: string): number {
  return asInteger(raw, where, 0)
}

function asBoolean(raw: unknown, where: string): boolean {
  if (typeof raw === 'boolean') return raw
  if (raw === 'true' || raw === '1') return true
  if (raw === 'false' || raw === '0') return false
  throw new ConfigError(`${where} must be true or false, got ${JSON.stringify(raw)}`)
}

function oneOf<T extends string>(values: readonly T[]) {
  return (raw: unknown, where: string): T => {
    if (typeof raw !== 'string' || !values.includes(raw as T)) {
      throw new ConfigError(
        `${where} must be one of ${values.join(', ')}, got ${JSON.stringify(raw)}`,
      )
    }
    return raw as T
  }
}

function optional<T>(parse: (raw: unknown, where: string) => T) {
  return (raw: unknown, where: string): T | undefined => parse(raw, where)
}

/** Where the HTTP gateway listens. */
export interface HttpAddress {
  host: string
  port: number
}

/** `HOST:PORT`, `[V6]:PORT`, `:PORT` or `PORT` (host 127.0.0.1). */
export function asHttpAddress(raw: unknown, where: string): HttpAddress {
  const text = typeof raw === 'number' ? String(raw) : asString(raw, where)
  const match = /^(?:(\[[0-9a-fA-F:.]+\]|[^:[\]]*):)?(\d{1,5})$/.exec(text.trim())
  const port = Number(match?.[2])
  if (match === null || !Number.isSafeInteger(port) || port > 65535) {
    throw new ConfigError(
      `${where} must be HOST:PORT or PORT (example: 127.0.0.1:8080), got ${JSON.stringify(raw)}`,
    )
  }
  const host =
    match[1] === undefined || match[1] === '' ? '127.0.0.1' : match[1].replace(/^\[|\]$/g, '')
  return { host, port }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host)
}

// ---- the daemon ----

export const DEFAULT_PORT = 4001

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share')
  return join(base, 'ringdht')
}

export interface StartConfig {
  /** Addresses to listen on. Default: /ip4/127.0.0.1/tcp/4001. */
  listen: string[]
  /**
   * What other members and clients are told to dial, instead of the listen addresses:
   * e.g. /dns4/node1/tcp/4002 in docker compose, where 0.0.0.0 would otherwise advertise
   * container IPs and 127.0.0.1. Default: none (advertise the listen addresses).
   */
  announce: string[]
  /** Any member of the ring to join through; none starts a new ring. */
  bootstrap: string[]
  /**
   * When no bootstrap peer answers within bootstrapTimeoutMs, start a new ring instead of
   * failing: for a seed that lists other members, so that it rejoins them when it restarts
   * but still starts the ring the first time. Default: false.
   */
  bootstrapOptional: boolean
  /** Identity and data. Default: $XDG_DATA_HOME/ringdht (~/.local/share/ringdht). */
  dataDir: string
  /** Keep data in memory only (tests, throwaway nodes). Default: false. */
  memory: boolean
  /** Swarm key file for a private ring. Default: none (public ring). */
  psk: string | undefined
  /** Copies of each key (r). Default: 3. */
  replicas: number
  /** Copies that must hold a write before it is acknowledged (W). Default: 2. */
  writeQuorum: number
  /** Default: 1024. */
  maxKeyBytes: number
  /** Default: 1 MiB. */
  maxValueBytes: number
  /** How long to keep trying to reach the bootstrap peers at start. Default: 60000. */
  bootstrapTimeoutMs: number
  /** pino level. Default: info. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'
  /** auto = pretty on a terminal, JSON otherwise. */
  logFormat: 'auto' | 'json' | 'pretty'
  /** Serve the HTTP gateway (REST, /metrics, the ring page) here. Default: off. */
  http: HttpAddress | undefined
  /** Let the gateway of a private ring (--psk) listen beyond loopback. Default: false. */
  httpPublic: boolean
  /** File holding a bearer token the gateway requires. Default: none. */
  httpTokenFile: string | undefined
  /**
   * A unix socket where the daemon answers `GET /health` from its own state, for container
   * healthchecks (`healthcheck.js`) that must not start a libp2p client. Default: none.
   */
  healthSocket: string | undefined
  /** Leading zero bits the id puzzle asks of members' peer ids. Default 10. */
  idDifficulty: number
  /** File of the peer ids that may be members; re-read when it changes. Default: none. */
  allowlist: string | undefined
  /** Versions further ahead of this member's clock are refused, in ms. Default 60000. */
  maxClockDriftMs: number
  /** Messages each topic keeps for replay (`sub --from`), at most. Default 100000. */
  topicRetainMessages: number
  /** Messages older than this are dropped from a topic, ms (0: never). Default 0. */
  topicRetainMs: number
  /** Subscribers a topic's home serves alone; beyond, they read through relays (0: off). Default 16. */
  topicFanoutThreshold: number
  /** Clients asking this member may configure queues and read/replay dead letters. Default false. */
  clientQueueAdmin: boolean
}

export function resolveStartConfig(input: ResolveInput): Resolved<StartConfig> {
  const config = resolve<StartConfig>(
    {
      listen: {
        env: 'LISTEN',
        parse: asMultiaddrs,
        default: [`/ip4/127.0.0.1/tcp/${DEFAULT_PORT}`],
      },
      announce: { env: 'ANNOUNCE', parse: asMultiaddrs, default: [] },
      bootstrap: { env: 'BOOTSTRAP', parse: asMultiaddrs, default: [] },
      bootstrapOptional: { env: 'BOOTSTRAP_OPTIONAL', parse: asBoolean, default: false },
      dataDir: { env: 'DATA_DIR', parse: asString, default: defaultDataDir(input.env) },
      memory: { env: 'MEMORY', parse: asBoolean, default: false },
      psk: { env: 'PSK', parse: optional(asString), default: undefined },
      replicas: { env: 'REPLICAS', parse: asPositiveInt, default: 3 },
      writeQuorum: { env: 'WRITE_QUORUM', parse: asPositiveInt, default: 2 },
      maxKeyBytes: { env: 'MAX_KEY_BYTES', parse: asPositiveInt, default: 1024 },
      maxValueBytes: { env: 'MAX_VALUE_BYTES', parse: asPositiveInt, default: 1024 * 1024 },
      bootstrapTimeoutMs: { env: 'BOOTSTRAP_TIMEOUT_MS', parse: asPositiveInt, default: 60_000 },
      logLevel: {
        env: 'LOG_LEVEL',
        parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const),
        default: 'info',
      },
      logFormat: {
        env: 'LOG_FORMAT',
        parse: oneOf(['auto', 'json', 'pretty'] as const),
        default: 'auto',
      },
      http: { env: 'HTTP', parse: optional(asHttpAddress), default: undefined },
      httpPublic: { env: 'HTTP_PUBLIC', parse: asBoolean, default: false },
      httpTokenFile: { env: 'HTTP_TOKEN_FILE', parse: optional(asString), default: undefined },
      healthSocket: { env: 'HEALTH_SOCKET', parse: optional(asString), default: undefined },
      idDifficulty: { env: 'ID_DIFFICULTY', parse: asNonNegativeInt, default: 10 },
      allowlist: { env: 'ALLOWLIST', parse: optional(asString), default: undefined },
      maxClockDriftMs: { env: 'MAX_CLOCK_DRIFT_MS', parse: asPositiveInt, default: 60_000 },
      topicRetainMessages: {
        env: 'TOPIC_RETAIN_MESSAGES',
        parse: asPositiveInt,
        default: 100_000,
      },
      topicRetainMs: { env: 'TOPIC_RETAIN_MS', parse: asNonNegativeInt, default: 0 },
      topicFanoutThreshold: {
        env: 'TOPIC_FANOUT_THRESHOLD',
        parse: asNonNegativeInt,
        default: 16,
      },
      clientQueueAdmin: { env: 'CLIENT_QUEUE_ADMIN', parse: asBoolean, default: false },
    },
    input,
  )
  if (
    config.psk !== undefined &&
    config.http !== undefined &&
    !isLoopback(config.http.host) &&
    !config.httpPublic
  ) {
    throw new ConfigError(
      `--http ${config.http.host}:${config.http.port}: a private ring (--psk) serves HTTP on loopback only; add --http-public to listen there`,
    )
  }
  if (config.listen.length === 0) throw new ConfigError('--listen needs at least one multiaddr')
  if (config.writeQuorum > config.replicas) {
    throw new ConfigError(
      `--write-quorum (${config.writeQuorum}) cannot exceed --replicas (${config.replicas})`,
    )
  }
  return config
}

// ---- the query commands ----

export interface ClientConfig {
  /** The member to dial. Required (flag, RINGDHT_PEER or config file). */
  peer: string
  /** Swarm key file of a private ring. */
  psk: string | undefined
  /** Per-request deadline. Default: 10000. */
  timeoutMs: number
}

export function resolveClientConfig(input: ResolveInput): Resolved<ClientConfig> {
  const config = resolve<ClientConfig>(
    {
      peer: {
        env: 'PEER',
        parse: (raw, where) => checkMultiaddr(asString(raw, where), where),
        default: '',
      },
      psk: { env: 'PSK', parse: optional(asString), default: undefined },
      timeoutMs: { env: 'TIMEOUT_MS', flag: '--timeout', parse: asPositiveInt, default: 10_000 },
    },
    input,
  )
  if (config.peer === '') {
    throw new ConfigError(
      'no peer to query: pass --peer MULTIADDR or set RINGDHT_PEER (e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3Koo...)',
    )
  }
  return config
}

/** The configuration as printed at start: values and where each came from, secrets redacted. */
export function describeConfig<C extends object>(config: Resolved<C>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(config)) {
    if (name === 'sources') continue
    out[name] = value
  }
  return { settings: out, sources: config.sources }
}
