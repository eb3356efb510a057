import type { ClientFlags } from '../../client.js'
import { UsageError } from '../../errors.js'
import { asUtf8, textBytes, toJson } from '../../io.js'
import type { KeyChange } from '../../peer.js'
import { toBase64 } from '../../records.js'
import { positiveIntegerFlag } from '../hold.js'
import { printUntilStopped } from '../streamed-lines.js'

export interface WatchFlags extends ClientFlags {
  fromVersion?: string
  count?: string
  json?: boolean
}

/**
 * `ringdht watch KEY [--from-version V] [--json]`: print the key's changes as its owner
 * applies them, one line each, in order, until SIGINT or SIGTERM (or `--count` changes):
 * `<version> put <value>` or `<version> delete`. It survives a failover of the key's owner:
 * it asks again from the last change it printed, so no acknowledged write is skipped.
 */
export async function watchHandler(key: string, flags: WatchFlags): Promise<void> {
  const fromVersion = flags.fromVersion === undefined ? undefined : versionFlag(flags.fromVersion)
  const count = flags.count === undefined ? undefined : positiveIntegerFlag('--count', flags.count)
  await printUntilStopped(flags, count, async function* (client, signal) {
    const changes = client.watch(textBytes(key), {
      signal,
      ...(fromVersion === undefined ? {} : { fromVersion }),
    })
    for await (const change of changes) {
      yield flags.json === true ? jsonLine(key, change) : textLine(change)
    }
  })
}

function versionFlag(value: string): bigint {
  if (!/^\d{1,20}$/.test(value) || BigInt(value) >= 1n << 64n) {
    throw new UsageError(
      `--from-version must be a version as watch prints it, got ${JSON.stringify(value)}`,
    )
  }
  return BigInt(value)
}

function valueText(change: KeyChange): string {
  if (change.valueOmitted === true) return '(value too large for the change log)'
  if (change.value === undefined) return ''
  return asUtf8(change.value) ?? `base64:${toBase64(change.value)}`
}

function textLine(change: KeyChange): string {
  const version = String(change.version.timestamp)
  return change.op === 'delete' ? `${version} delete` : `${version} put ${valueText(change)}`
}

function jsonLine(key: string, change: KeyChange): string {
  const text = change.value === undefined ? undefined : asUtf8(change.value)
  return toJson({
    key,
    op: change.op,
    version: String(change.version.timestamp),
    writer: change.version.writer.toString(16),
    seq: change.seq,
    appliedAt: change.appliedAt,
    ...(change.value === undefined
      ? {}
      : {
          value: text ?? toBase64(change.value),
          ...(text === undefined ? { valueEncoding: 'base64' } : {}),
        }),
    ...(change.valueOmitted === true ? { valueOmitted: true } : {}),
    ...(change.expiresAt === undefined ? {} : { expiresAt: change.expiresAt }),
  })
}
