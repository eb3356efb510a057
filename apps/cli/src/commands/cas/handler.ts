import type { ClientFlags } from '../../client.js'
import { withClient } from '../../client.js'
import { CliError, ExitCode, UsageError } from '../../errors.js'
import { asUtf8, textBytes, toJson, writeOut } from '../../io.js'
import { toBase64 } from '../../records.js'
import { positiveIntegerFlag } from '../hold.js'

export interface CasFlags extends ClientFlags {
  absent?: boolean
  delete?: boolean
  fence?: string
  lock?: string
  json?: boolean
}

/**
 * `ringdht cas KEY EXPECTED NEXT`: set the coordination register KEY to NEXT if it holds
 * EXPECTED. `--absent KEY NEXT` expects no value; `--delete KEY EXPECTED` deletes. Exit 0
 * when it was set, 1 when the register held something else (like a `get` that finds
 * nothing), so a script can branch on it.
 */
export async function casHandler(
  key: string,
  first: string | undefined,
  second: string | undefined,
  flags: CasFlags,
): Promise<void> {
  const { expected, next } = operands(first, second, flags)
  const token = flags.fence === undefined ? undefined : positiveIntegerFlag('--fence', flags.fence)
  if (flags.lock !== undefined && token === undefined) {
    throw new UsageError('--lock names the lock of a --fence token: give --fence too')
  }
  const fence =
    token === undefined || flags.lock === undefined ? token : { lock: textBytes(flags.lock), token }
  const result = await withClient(flags, (client) =>
    client.cas(
      textBytes(key),
      expected === undefined ? undefined : textBytes(expected),
      next === undefined ? undefined : textBytes(next),
      fence === undefined ? {} : { fence },
    ),
  )
  if (flags.json === true) {
    const text = result.value === undefined ? undefined : asUtf8(result.value)
    const value = result.value === undefined ? null : (text ?? toBase64(result.value))
    const encoding =
      result.value !== undefined && text === undefined ? { valueEncoding: 'base64' } : {}
    await writeOut(
      `${toJson({ key, succeeded: result.succeeded, value, ...encoding, version: result.version })}\n`,
    )
  }
  if (!result.succeeded) {
    const held = result.value === undefined ? 'nothing' : describe(result.value)
    throw new CliError(
      `cas ${key}: it holds ${held} (version ${result.version}), not the expected value`,
      {
        code: 'ERR_CAS_FAILED',
        exitCode: ExitCode.NOT_FOUND,
      },
    )
  }
}

function operands(
  first: string | undefined,
  second: string | undefined,
  flags: CasFlags,
): { expected: string | undefined; next: string | undefined } {
  if (flags.absent === true && flags.delete === true) {
    throw new UsageError('--absent and --delete together would change nothing')
  }
  if (flags.absent === true) {
    if (first === undefined || second !== undefined) {
      throw new UsageError('with --absent, give KEY NEXT (the key must hold no value)')
    }
    return { expected: undefined, next: first }
  }
  if (flags.delete === true) {
    if (first === undefined || second !== undefined) {
      throw new UsageError('with --delete, give KEY EXPECTED')
    }
    return { expected: first, next: undefined }
  }
  if (first === undefined || second === undefined) {
    throw new UsageError('give KEY EXPECTED NEXT (or --absent KEY NEXT, or --delete KEY EXPECTED)')
  }
  return { expected: first, next: second }
}

function describe(value: Uint8Array): string {
  const text = asUtf8(value)
  const shown = text ?? `base64:${toBase64(value)}`
  return JSON.stringify(shown.length > 80 ? `${shown.slice(0, 77)}...` : shown)
}
