/**
 * @packageDocumentation
 *
 * `ringdht`: the command line of the ringdht DHT. `ringdht start` runs a daemon,
 * `ringdht cluster` a local ring, and put/get/del/import/export/ring/status query any
 * member as a client. `createProgram()` is exported for tests and embedding.
 *
 * @example
 * ```sh
 * ringdht cluster --nodes 5
 * RINGDHT_PEER=/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... ringdht put hello world
 * ```
 */

export {
  type ClientConfig,
  resolveClientConfig,
  resolveStartConfig,
  type StartConfig,
} from './config.js'
export {
  CliError,
  ConfigError,
  ExitCode,
  NotFoundError,
  UnreachableError,
  UsageError,
} from './errors.js'
export { createProgram, VERSION } from './program.js'
export { decodeLine, encodeLine, InvalidRecordError, type KeyValue } from './records.js'
