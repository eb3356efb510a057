import { Command } from 'commander'
import { addExamples, lazyAction } from '../shared.js'

export function startCommand(): Command {
  const command = new Command('start')
    .description(
      'run a ring member in the foreground until SIGINT/SIGTERM (then hand off keys and leave)',
    )
    .option(
      '--listen <multiaddr...>',
      'addresses to listen on (env RINGDHT_LISTEN; default /ip4/127.0.0.1/tcp/4001)',
    )
    .option(
      '--announce <multiaddr...>',
      'addresses other members and clients should dial, e.g. /dns4/node1/tcp/4001 (env RINGDHT_ANNOUNCE; default: the listen addresses)',
    )
    .option(
      '--bootstrap <multiaddr...>',
      'members to join through; /p2p/<id> may be left out (env RINGDHT_BOOTSTRAP; default: none, start a new ring)',
    )
    .option(
      '--bootstrap-optional',
      'start a new ring when no bootstrap peer answers in time, instead of failing: a seed that rejoins the others after a restart (env RINGDHT_BOOTSTRAP_OPTIONAL)',
    )
    .option(
      '--data-dir <dir>',
      'identity and data (env RINGDHT_DATA_DIR; default ~/.local/share/ringdht)',
    )
    .option('--memory', 'keep data in memory only (env RINGDHT_MEMORY)')
    .option('--psk <file>', 'swarm key of a private ring (env RINGDHT_PSK)')
    .option('--replicas <n>', 'copies of each key (env RINGDHT_REPLICAS; default 3)')
    .option(
      '--write-quorum <n>',
      'copies before a write is acknowledged (env RINGDHT_WRITE_QUORUM; default 2)',
    )
    .option('--max-key-bytes <n>', 'largest key accepted (env RINGDHT_MAX_KEY_BYTES; default 1024)')
    .option(
      '--max-value-bytes <n>',
      'largest value accepted (env RINGDHT_MAX_VALUE_BYTES; default 1048576)',
    )
    .option(
      '--bootstrap-timeout-ms <ms>',
      'keep trying the bootstrap peers this long (default 60000)',
    )
    .option(
      '--log-level <level>',
      'fatal, error, warn, info, debug or trace (env RINGDHT_LOG_LEVEL; default info)',
    )
    .option(
      '--log-format <format>',
      'auto (pretty on a terminal), json or pretty (env RINGDHT_LOG_FORMAT)',
    )
    .option(
      '--http <address>',
      'serve HTTP (REST API, /metrics, the ring page) on HOST:PORT or PORT (env RINGDHT_HTTP; default off)',
    )
    .option(
      '--http-public',
      'with --psk, let --http listen beyond loopback (env RINGDHT_HTTP_PUBLIC)',
    )
    .option(
      '--http-token-file <file>',
      'require the bearer token in FILE on every HTTP request (env RINGDHT_HTTP_TOKEN_FILE)',
    )
    .option(
      '--id-difficulty <bits>',
      'leading zero bits the id puzzle asks of every member; 0 turns it off (env RINGDHT_ID_DIFFICULTY; default 10)',
    )
    .option(
      '--client-queue-admin',
      'let clients configure queues and read or replay their dead letters; members always may (env RINGDHT_CLIENT_QUEUE_ADMIN)',
    )
    .option(
      '--allowlist <file>',
      'only the peer ids in FILE (one a line) may be members; re-read on change (env RINGDHT_ALLOWLIST)',
    )
    .option(
      '--max-clock-drift-ms <ms>',
      'refuse versions further ahead of this clock (env RINGDHT_MAX_CLOCK_DRIFT_MS; default 60000)',
    )
    .option(
      '--topic-retain-messages <n>',
      'messages each topic keeps for replay, at most (env RINGDHT_TOPIC_RETAIN_MESSAGES; default 100000)',
    )
    .option(
      '--topic-retain-ms <ms>',
      'drop topic messages older than this, 0: never (env RINGDHT_TOPIC_RETAIN_MS; default 0)',
    )
    .option(
      '--topic-fanout-threshold <n>',
      'subscribers a topic home serves alone; beyond, they read through relays, 0: off (env RINGDHT_TOPIC_FANOUT_THRESHOLD; default 16)',
    )
    .option(
      '--health-socket <path>',
      'answer GET /health on this unix socket, for healthchecks (env RINGDHT_HEALTH_SOCKET)',
    )
    .option(
      '--config <file>',
      'JSON config file with any of these settings in camelCase (env RINGDHT_CONFIG)',
    )
    .action(lazyAction(() => import('./handler.js'), 'startHandler'))
  return addExamples(
    command,
    'ringdht start --listen /ip4/0.0.0.0/tcp/4001 --data-dir ./node0',
    'ringdht start --listen /ip4/0.0.0.0/tcp/4002 --data-dir ./node1 --bootstrap /ip4/10.0.0.1/tcp/4001',
    'ringdht start --memory --http 127.0.0.1:8080   # curl http://127.0.0.1:8080/v1/ring',
    'ringdht start --listen /ip4/0.0.0.0/tcp/4001 --announce /dns4/node1.example/tcp/4001 --data-dir /data',
    'ringdht start --config ringdht.json   # {"listen": ["/ip4/0.0.0.0/tcp/4001"], "dataDir": "/data"}',
  )
}
