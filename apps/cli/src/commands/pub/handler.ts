import { createInterface } from 'node:readline'
import type { ClientFlags } from '../../client.js'
import { withClient } from '../../client.js'
import { UsageError } from '../../errors.js'
import { readValue, textBytes, toJson, writeOut } from '../../io.js'
import type { RingClient } from '../../peer.js'
import { positiveIntegerFlag } from '../hold.js'

export interface PubFlags extends ClientFlags {
  lines?: boolean
  json?: boolean
  retainCount?: string
  retainMs?: string
}

/**
 * `ringdht pub TOPIC [MESSAGE|-]`: publish MESSAGE (or stdin, as one message) on TOPIC and
 * print the sequence number it got once W replicas hold it. `--lines` publishes every
 * line of stdin as a message of its own, in order, one at a time (each printed as it is
 * acknowledged), so a script can pipe a stream in. `--retain-count` / `--retain-ms` first
 * set how much of the topic its homes keep (a setting of the topic, not of this publish).
 */
export async function pubHandler(
  topic: string,
  message: string | undefined,
  flags: PubFlags,
): Promise<void> {
  if (flags.lines === true && message !== undefined && message !== '-') {
    throw new UsageError('--lines reads the messages from stdin: give no MESSAGE')
  }
  const retention = retentionFlags(flags)
  const configure = async (client: RingClient) => {
    if (retention !== undefined) await client.configureTopic(textBytes(topic), retention)
  }
  const report = (seq: number) =>
    writeOut(`${flags.json === true ? toJson({ topic, seq }) : String(seq)}\n`)
  if (flags.lines === true) {
    await withClient(
      flags,
      async (client) => {
        await configure(client)
        await publishLines(client, topic, report)
      },
      {
        taskDeadlineMs: Number.POSITIVE_INFINITY,
      },
    )
    return
  }
  const bytes = await readValue(
    message === '-' ? undefined : message,
    message === '-' ? '-' : undefined,
  )
  const { seq } = await withClient(flags, async (client) => {
    await configure(client)
    return client.publish(textBytes(topic), bytes)
  })
  await report(seq)
}

async function publishLines(
  client: RingClient,
  topic: string,
  report: (seq: number) => Promise<void>,
): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })
  for await (const line of lines) {
    const { seq } = await client.publish(textBytes(topic), textBytes(line))
    await report(seq)
  }
}

function retentionFlags(flags: PubFlags): { retainCount?: number; retainMs?: number } | undefined {
  if (flags.retainCount === undefined && flags.retainMs === undefined) return undefined
  return {
    ...(flags.retainCount === undefined
      ? {}
      : { retainCount: positiveIntegerFlag('--retain-count', flags.retainCount) }),
    ...(flags.retainMs === undefined
      ? {}
      : { retainMs: positiveIntegerFlag('--retain-ms', flags.retainMs) }),
  }
}
