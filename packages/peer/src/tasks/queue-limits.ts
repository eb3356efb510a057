import { InvalidInputError, KeyTooLargeError, ValueTooLargeError } from '../errors.js'
import { DISPATCH_POLICIES, type DispatchPolicyName, type QueueSettings } from './queue-entries.js'

/** What one queue may hold and what one enqueue may ask for; every buffer is bounded. */
export interface QueueLimits {
  /** Bytes of a queue's name (UTF-8). */
  readonly maxQueueNameBytes: number
  readonly maxPayloadBytes: number
  /** Tasks a queue holds at once: ready, delayed, leased and dead. More are refused. */
  readonly maxTasks: number
  /** Dead letters kept; past it the oldest is dropped. */
  readonly maxDeadLetters: number
  readonly maxDelayMs: number
  readonly maxDedupeIdBytes: number
  /** A nack's reason is cut to this many characters. */
  readonly maxReasonChars: number
  /** Dedupe ids of acked tasks remembered, so an enqueue retried after its task was done is not run again. */
  readonly rememberedDedupeIds: number
  /** Workers whose done counts are kept. */
  readonly rememberedWorkers: number
  /** Workers registered with one queue's home at once; more are refused. */
  readonly maxWorkers: number
  /** Queues one member serves as their home at once; requests for more are refused. */
  readonly maxQueues: number
}

export const DEFAULT_QUEUE_LIMITS: QueueLimits = Object.freeze({
  maxQueueNameBytes: 256,
  maxPayloadBytes: 256 * 1024,
  maxTasks: 100_000,
  maxDeadLetters: 10_000,
  maxDelayMs: 7 * 24 * 3600_000,
  maxDedupeIdBytes: 256,
  maxReasonChars: 512,
  rememberedDedupeIds: 10_000,
  rememberedWorkers: 1_024,
  maxWorkers: 1_024,
  maxQueues: 10_000,
})

export const MIN_PRIORITY = -1_000
export const MAX_PRIORITY = 1_000

const utf8 = new TextEncoder()

export interface EnqueueOptions {
  /** Not offered to a worker before this many ms have passed. Default 0. */
  readonly delayMs?: number
  /** Higher is dispatched first; equal priorities in order of arrival. Integer in [-1000, 1000], default 0. */
  readonly priority?: number
  /** An enqueue with the dedupe id of a task still known returns that task instead of adding one. */
  readonly dedupeId?: string
}

export function checkQueueName(name: string, limits: QueueLimits): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidInputError('a queue name must be a non-empty string')
  }
  const bytes = utf8.encode(name).length
  if (bytes > limits.maxQueueNameBytes) {
    throw new KeyTooLargeError(
      `queue name is ${bytes} bytes, over the limit of ${limits.maxQueueNameBytes}`,
    )
  }
}

export function checkEnqueue(
  payload: Uint8Array,
  options: EnqueueOptions,
  limits: QueueLimits,
): void {
  if (!(payload instanceof Uint8Array)) throw new InvalidInputError('a payload must be bytes')
  if (payload.length > limits.maxPayloadBytes) {
    throw new ValueTooLargeError(
      `task payload is ${payload.length} bytes, over the limit of ${limits.maxPayloadBytes}`,
    )
  }
  const delayMs = options.delayMs ?? 0
  if (!Number.isSafeInteger(delayMs) || delayMs < 0 || delayMs > limits.maxDelayMs) {
    throw new InvalidInputError(
      `delayMs must be an integer from 0 to ${limits.maxDelayMs}, not ${options.delayMs}`,
    )
  }
  const priority = options.priority ?? 0
  if (!Number.isInteger(priority) || priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
    throw new InvalidInputError(
      `priority must be an integer from ${MIN_PRIORITY} to ${MAX_PRIORITY}, not ${options.priority}`,
    )
  }
  if (options.dedupeId !== undefined) {
    const bytes = utf8.encode(options.dedupeId).length
    if (bytes === 0 || bytes > limits.maxDedupeIdBytes) {
      throw new InvalidInputError(
        `dedupeId must be 1 to ${limits.maxDedupeIdBytes} bytes, not ${bytes}`,
      )
    }
  }
}

const MAX_LEASE_MS = 24 * 3600_000

/** Settings are checked before a `configure` entry is written; nothing changes on a bad one. */
export function checkSettings(settings: QueueSettings): void {
  if (!DISPATCH_POLICIES.includes(settings.policy as DispatchPolicyName)) {
    throw new InvalidInputError(
      `policy must be one of ${DISPATCH_POLICIES.join(', ')}, not ${settings.policy}`,
    )
  }
  const integer = (name: string, value: number, min: number, max: number) => {
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidInputError(`${name} must be an integer from ${min} to ${max}, not ${value}`)
    }
  }
  integer('maxAttempts', settings.maxAttempts, 1, 1_000)
  integer('leaseMs', settings.leaseMs, 100, MAX_LEASE_MS)
  integer('backoffMs', settings.backoffMs, 0, MAX_LEASE_MS)
  integer('maxBackoffMs', settings.maxBackoffMs, settings.backoffMs, MAX_LEASE_MS)
}
