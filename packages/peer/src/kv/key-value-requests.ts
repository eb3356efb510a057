import { MessageType, type Response, requestWithDefaults } from '@ringdht/protocol'
import type { PeerConfig } from '../config.js'
import { errorFromWire, InvalidInputError, NotReadyError } from '../errors.js'
import {
  expiryOf,
  type GetOptions,
  type GetResult,
  type KeyInput,
  type OperationOptions,
  type PutOptions,
  readQuorumOf,
  toBytes,
  ttlOf,
  type WriteResult,
} from '../operations.js'
import type { KeyService } from './key-service.js'
import { versionAndExpiryOf } from './records.js'

/**
 * get / put / delete as a member's own caller makes them: validated, turned into the
 * same requests the network sends, served by the key service (routed to the owner), and
 * answered with results or typed errors.
 */
export class KeyValueRequests {
  readonly #keys: Pick<KeyService, 'handle'>
  readonly #config: Pick<PeerConfig, 'replicas' | 'writeQuorum' | 'limits'>
  readonly #lifetime: AbortSignal

  constructor(
    keys: Pick<KeyService, 'handle'>,
    config: Pick<PeerConfig, 'replicas' | 'writeQuorum' | 'limits'>,
    lifetime: AbortSignal,
  ) {
    this.#keys = keys
    this.#config = config
    this.#lifetime = lifetime
  }

  async get(key: KeyInput, options: GetOptions = {}): Promise<GetResult | undefined> {
    const response = await this.#request(MessageType.GET, toBytes(key, 'key'), undefined, options)
    const record = response.record
    if (record === undefined || record.value === undefined) return undefined
    return {
      value: record.value,
      hops: response.hops ?? 0,
      ...(options.trace ? { path: response.path ?? [] } : {}),
      ...expiryOf(versionAndExpiryOf(record)),
    }
  }

  async put(key: KeyInput, value: KeyInput, options: PutOptions = {}): Promise<WriteResult> {
    const quorum = options.writeQuorum
    const replicas = this.#config.replicas
    if (quorum !== undefined && !(Number.isInteger(quorum) && quorum >= 1 && quorum <= replicas)) {
      throw new InvalidInputError(`writeQuorum must be an integer in [1, ${replicas}]`)
    }
    const bytes = [toBytes(key, 'key'), toBytes(value, 'value')] as const
    return this.#written(await this.#request(MessageType.PUT, ...bytes, options), options)
  }

  async delete(key: KeyInput, options: OperationOptions = {}): Promise<WriteResult> {
    const response = await this.#request(
      MessageType.DELETE,
      toBytes(key, 'key'),
      undefined,
      options,
    )
    return this.#written(response, options)
  }

  #written(response: Partial<Response>, options: OperationOptions): WriteResult {
    return {
      hops: response.hops ?? 0,
      ...(options.trace ? { path: response.path ?? [] } : {}),
      replicas: response.replicas ?? 1,
    }
  }

  async #request(
    type: MessageType,
    key: Uint8Array,
    value: Uint8Array | undefined,
    options: PutOptions & GetOptions,
  ): Promise<Partial<Response>> {
    if (this.#lifetime.aborted) throw new NotReadyError('peer stopped')
    const request = requestWithDefaults({
      type,
      maxHops: this.#config.limits.maxHops,
      trace: options.trace ?? false,
      key: key as Uint8Array<ArrayBuffer>,
      ...(value === undefined ? {} : { value: value as Uint8Array<ArrayBuffer> }),
      writeQuorum: options.writeQuorum ?? this.#config.writeQuorum,
      readQuorum: readQuorumOf(options.consistency),
      ttlMs: ttlOf(options.ttlMs),
    })
    const signal =
      options.signal === undefined
        ? this.#lifetime
        : AbortSignal.any([options.signal, this.#lifetime])
    const response = await this.#keys.handle(request, signal)
    if (response.error !== undefined && response.error !== 0) {
      throw errorFromWire(response.error, response.message ?? '')
    }
    return response
  }
}
