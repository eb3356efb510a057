import { decodeMessage, encodeMessage, MaxLengthError, MaxSizeError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Version {
  timestamp: bigint
  writer: bigint
}

export namespace Version {
  let _codec: Codec<Version>

  export const codec = (): Codec<Version> => {
    if (_codec == null) {
      _codec = message<Version>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.timestamp != null && obj.timestamp !== 0n)) {
          w.uint32(8)
          w.uint64(obj.timestamp)
        }

        if ((obj.writer != null && obj.writer !== 0n)) {
          w.uint32(17)
          w.fixed64(obj.writer)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          timestamp: 0n,
          writer: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.timestamp = reader.uint64()
              break
            }
            case 2: {
              obj.writer = reader.fixed64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.timestamp`,
                value: reader.uint64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.writer`,
                value: reader.fixed64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface VersionTimestampFieldEvent {
    field: '$.timestamp'
    value: bigint
  }

  export interface VersionWriterFieldEvent {
    field: '$.writer'
    value: bigint
  }

  export function encode (obj: Partial<Version>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Version.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Version>): Version {
    return decodeMessage(buf, Version.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Version>): Generator<VersionTimestampFieldEvent | VersionWriterFieldEvent> {
    return streamMessage(buf, Version.codec(), opts)
  }
}

export interface Record {
  key: Uint8Array<ArrayBuffer>
  value?: Uint8Array<ArrayBuffer>
  version?: Version
  expiresAt?: bigint
}

export namespace Record {
  let _codec: Codec<Record>

  export const codec = (): Codec<Record> => {
    if (_codec == null) {
      _codec = message<Record>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if (obj.value != null) {
          w.uint32(18)
          w.bytes(obj.value)
        }

        if (obj.version != null) {
          w.uint32(26)
          Version.codec().encode(obj.version, w)
        }

        if (obj.expiresAt != null) {
          w.uint32(32)
          w.uint64(obj.expiresAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              obj.value = reader.bytes()
              break
            }
            case 3: {
              obj.version = Version.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.version
              })
              break
            }
            case 4: {
              obj.expiresAt = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.value`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield * Version.codec().stream(reader, reader.uint32(), `${prefix}.version`, {
                limits: opts.limits?.version
              })

              break
            }
            case 4: {
              yield {
                field: `${prefix}.expiresAt`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RecordKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RecordValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RecordVersionTimestampFieldEvent {
    field: '$.version.timestamp'
    value: bigint
  }

  export interface RecordVersionWriterFieldEvent {
    field: '$.version.writer'
    value: bigint
  }

  export interface RecordExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: bigint
  }

  export function encode (obj: Partial<Record>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Record.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Record>): Record {
    return decodeMessage(buf, Record.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Record>): Generator<RecordKeyFieldEvent | RecordValueFieldEvent | RecordVersionTimestampFieldEvent | RecordVersionWriterFieldEvent | RecordExpiresAtFieldEvent> {
    return streamMessage(buf, Record.codec(), opts)
  }
}

export interface PeerInfo {
  peerId: string
  multiaddrs: Uint8Array<ArrayBuffer>[]
}

export namespace PeerInfo {
  let _codec: Codec<PeerInfo>

  export const codec = (): Codec<PeerInfo> => {
    if (_codec == null) {
      _codec = message<PeerInfo>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.peerId != null && obj.peerId !== '')) {
          w.uint32(10)
          w.string(obj.peerId)
        }

        if (obj.multiaddrs != null && obj.multiaddrs.length > 0) {
          for (const value of obj.multiaddrs) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peerId: '',
          multiaddrs: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peerId = reader.string()
              break
            }
            case 2: {
              if (opts.limits?.multiaddrs != null && obj.multiaddrs.length === opts.limits.multiaddrs) {
                throw new MaxLengthError('Decode error - repeated field "multiaddrs" had too many elements')
              }

              obj.multiaddrs.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          multiaddrs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.peerId`,
                value: reader.string()
              }
              break
            }
            case 2: {
              if (opts.limits?.multiaddrs != null && obj.multiaddrs === opts.limits.multiaddrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "multiaddrs" had too many elements')
              }

              yield {
                field: `${prefix}.multiaddrs[]`,
                index: obj.multiaddrs,
                value: reader.bytes()
              }

              obj.multiaddrs++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PeerInfoPeerIdFieldEvent {
    field: '$.peerId'
    value: string
  }

  export interface PeerInfoMultiaddrsFieldEvent {
    field: '$.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<PeerInfo>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PeerInfo.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerInfo>): PeerInfo {
    return decodeMessage(buf, PeerInfo.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerInfo>): Generator<PeerInfoPeerIdFieldEvent | PeerInfoMultiaddrsFieldEvent> {
    return streamMessage(buf, PeerInfo.codec(), opts)
  }
}

export interface Request {
  id: number
  type: number
  hops: number
  maxHops: number
  trace: boolean
  path: string[]
  local: boolean
  toOwner: boolean
  key?: Uint8Array<ArrayBuffer>
  value?: Uint8Array<ArrayBuffer>
  version?: Version
  writeQuorum: number
  readQuorum: number
  target?: bigint
  rangeStart?: bigint
  rangeEnd?: bigint
  afterPosition?: bigint
  afterKey?: Uint8Array<ArrayBuffer>
  limit: number
  sender?: PeerInfo
  relayTo?: PeerInfo
  records: Record[]
  successors: PeerInfo[]
  predecessor?: PeerInfo
  buckets: number
  ttlMs: bigint
  expiresAt?: bigint
  paxos?: Paxos
  registerOp?: RegisterOp
  bully?: Bully
  logOp?: LogOp
  topicOp?: TopicOp
  queueOp?: QueueOp
}

export namespace Request {
  let _codec: Codec<Request>

  export const codec = (): Codec<Request> => {
    if (_codec == null) {
      _codec = message<Request>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== 0)) {
          w.uint32(8)
          w.uint32(obj.id)
        }

        if ((obj.type != null && obj.type !== 0)) {
          w.uint32(16)
          w.uint32(obj.type)
        }

        if ((obj.hops != null && obj.hops !== 0)) {
          w.uint32(24)
          w.uint32(obj.hops)
        }

        if ((obj.maxHops != null && obj.maxHops !== 0)) {
          w.uint32(32)
          w.uint32(obj.maxHops)
        }

        if ((obj.trace != null && obj.trace !== false)) {
          w.uint32(40)
          w.bool(obj.trace)
        }

        if (obj.path != null && obj.path.length > 0) {
          for (const value of obj.path) {
            w.uint32(50)
            w.string(value)
          }
        }

        if ((obj.local != null && obj.local !== false)) {
          w.uint32(56)
          w.bool(obj.local)
        }

        if ((obj.toOwner != null && obj.toOwner !== false)) {
          w.uint32(64)
          w.bool(obj.toOwner)
        }

        if (obj.key != null) {
          w.uint32(82)
          w.bytes(obj.key)
        }

        if (obj.value != null) {
          w.uint32(90)
          w.bytes(obj.value)
        }

        if (obj.version != null) {
          w.uint32(98)
          Version.codec().encode(obj.version, w)
        }

        if ((obj.writeQuorum != null && obj.writeQuorum !== 0)) {
          w.uint32(104)
          w.uint32(obj.writeQuorum)
        }

        if ((obj.readQuorum != null && obj.readQuorum !== 0)) {
          w.uint32(112)
          w.uint32(obj.readQuorum)
        }

        if (obj.target != null) {
          w.uint32(161)
          w.fixed64(obj.target)
        }

        if (obj.rangeStart != null) {
          w.uint32(169)
          w.fixed64(obj.rangeStart)
        }

        if (obj.rangeEnd != null) {
          w.uint32(177)
          w.fixed64(obj.rangeEnd)
        }

        if (obj.afterPosition != null) {
          w.uint32(185)
          w.fixed64(obj.afterPosition)
        }

        if (obj.afterKey != null) {
          w.uint32(194)
          w.bytes(obj.afterKey)
        }

        if ((obj.limit != null && obj.limit !== 0)) {
          w.uint32(200)
          w.uint32(obj.limit)
        }

        if (obj.sender != null) {
          w.uint32(242)
          PeerInfo.codec().encode(obj.sender, w)
        }

        if (obj.relayTo != null) {
          w.uint32(250)
          PeerInfo.codec().encode(obj.relayTo, w)
        }

        if (obj.records != null && obj.records.length > 0) {
          for (const value of obj.records) {
            w.uint32(258)
            Record.codec().encode(value, w)
          }
        }

        if (obj.successors != null && obj.successors.length > 0) {
          for (const value of obj.successors) {
            w.uint32(266)
            PeerInfo.codec().encode(value, w)
          }
        }

        if (obj.predecessor != null) {
          w.uint32(274)
          PeerInfo.codec().encode(obj.predecessor, w)
        }

        if ((obj.buckets != null && obj.buckets !== 0)) {
          w.uint32(280)
          w.uint32(obj.buckets)
        }

        if ((obj.ttlMs != null && obj.ttlMs !== 0n)) {
          w.uint32(400)
          w.uint64(obj.ttlMs)
        }

        if (obj.expiresAt != null) {
          w.uint32(408)
          w.uint64(obj.expiresAt)
        }

        if (obj.paxos != null) {
          w.uint32(322)
          Paxos.codec().encode(obj.paxos, w)
        }

        if (obj.registerOp != null) {
          w.uint32(330)
          RegisterOp.codec().encode(obj.registerOp, w)
        }

        if (obj.bully != null) {
          w.uint32(338)
          Bully.codec().encode(obj.bully, w)
        }

        if (obj.logOp != null) {
          w.uint32(482)
          LogOp.codec().encode(obj.logOp, w)
        }

        if (obj.topicOp != null) {
          w.uint32(490)
          TopicOp.codec().encode(obj.topicOp, w)
        }

        if (obj.queueOp != null) {
          w.uint32(562)
          QueueOp.codec().encode(obj.queueOp, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: 0,
          type: 0,
          hops: 0,
          maxHops: 0,
          trace: false,
          path: [],
          local: false,
          toOwner: false,
          writeQuorum: 0,
          readQuorum: 0,
          limit: 0,
          records: [],
          successors: [],
          buckets: 0,
          ttlMs: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.uint32()
              break
            }
            case 2: {
              obj.type = reader.uint32()
              break
            }
            case 3: {
              obj.hops = reader.uint32()
              break
            }
            case 4: {
              obj.maxHops = reader.uint32()
              break
            }
            case 5: {
              obj.trace = reader.bool()
              break
            }
            case 6: {
              if (opts.limits?.path != null && obj.path.length === opts.limits.path) {
                throw new MaxLengthError('Decode error - repeated field "path" had too many elements')
              }

              obj.path.push(reader.string())
              break
            }
            case 7: {
              obj.local = reader.bool()
              break
            }
            case 8: {
              obj.toOwner = reader.bool()
              break
            }
            case 10: {
              obj.key = reader.bytes()
              break
            }
            case 11: {
              obj.value = reader.bytes()
              break
            }
            case 12: {
              obj.version = Version.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.version
              })
              break
            }
            case 13: {
              obj.writeQuorum = reader.uint32()
              break
            }
            case 14: {
              obj.readQuorum = reader.uint32()
              break
            }
            case 20: {
              obj.target = reader.fixed64()
              break
            }
            case 21: {
              obj.rangeStart = reader.fixed64()
              break
            }
            case 22: {
              obj.rangeEnd = reader.fixed64()
              break
            }
            case 23: {
              obj.afterPosition = reader.fixed64()
              break
            }
            case 24: {
              obj.afterKey = reader.bytes()
              break
            }
            case 25: {
              obj.limit = reader.uint32()
              break
            }
            case 30: {
              obj.sender = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.sender
              })
              break
            }
            case 31: {
              obj.relayTo = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.relayTo
              })
              break
            }
            case 32: {
              if (opts.limits?.records != null && obj.records.length === opts.limits.records) {
                throw new MaxLengthError('Decode error - repeated field "records" had too many elements')
              }

              obj.records.push(Record.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.records$
              }))
              break
            }
            case 33: {
              if (opts.limits?.successors != null && obj.successors.length === opts.limits.successors) {
                throw new MaxLengthError('Decode error - repeated field "successors" had too many elements')
              }

              obj.successors.push(PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.successors$
              }))
              break
            }
            case 34: {
              obj.predecessor = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.predecessor
              })
              break
            }
            case 35: {
              obj.buckets = reader.uint32()
              break
            }
            case 50: {
              obj.ttlMs = reader.uint64()
              break
            }
            case 51: {
              obj.expiresAt = reader.uint64()
              break
            }
            case 40: {
              obj.paxos = Paxos.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.paxos
              })
              break
            }
            case 41: {
              obj.registerOp = RegisterOp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.registerOp
              })
              break
            }
            case 42: {
              obj.bully = Bully.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.bully
              })
              break
            }
            case 60: {
              obj.logOp = LogOp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.logOp
              })
              break
            }
            case 61: {
              obj.topicOp = TopicOp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.topicOp
              })
              break
            }
            case 70: {
              obj.queueOp = QueueOp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.queueOp
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          path: 0,
          records: 0,
          successors: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.type`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.hops`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.maxHops`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.trace`,
                value: reader.bool()
              }
              break
            }
            case 6: {
              if (opts.limits?.path != null && obj.path === opts.limits.path) {
                throw new MaxLengthError('Streaming decode error - repeated field "path" had too many elements')
              }

              yield {
                field: `${prefix}.path[]`,
                index: obj.path,
                value: reader.string()
              }

              obj.path++

              break
            }
            case 7: {
              yield {
                field: `${prefix}.local`,
                value: reader.bool()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.toOwner`,
                value: reader.bool()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.value`,
                value: reader.bytes()
              }
              break
            }
            case 12: {
              yield * Version.codec().stream(reader, reader.uint32(), `${prefix}.version`, {
                limits: opts.limits?.version
              })

              break
            }
            case 13: {
              yield {
                field: `${prefix}.writeQuorum`,
                value: reader.uint32()
              }
              break
            }
            case 14: {
              yield {
                field: `${prefix}.readQuorum`,
                value: reader.uint32()
              }
              break
            }
            case 20: {
              yield {
                field: `${prefix}.target`,
                value: reader.fixed64()
              }
              break
            }
            case 21: {
              yield {
                field: `${prefix}.rangeStart`,
                value: reader.fixed64()
              }
              break
            }
            case 22: {
              yield {
                field: `${prefix}.rangeEnd`,
                value: reader.fixed64()
              }
              break
            }
            case 23: {
              yield {
                field: `${prefix}.afterPosition`,
                value: reader.fixed64()
              }
              break
            }
            case 24: {
              yield {
                field: `${prefix}.afterKey`,
                value: reader.bytes()
              }
              break
            }
            case 25: {
              yield {
                field: `${prefix}.limit`,
                value: reader.uint32()
              }
              break
            }
            case 30: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.sender`, {
                limits: opts.limits?.sender
              })

              break
            }
            case 31: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.relayTo`, {
                limits: opts.limits?.relayTo
              })

              break
            }
            case 32: {
              if (opts.limits?.records != null && obj.records === opts.limits.records) {
                throw new MaxLengthError('Streaming decode error - repeated field "records" had too many elements')
              }

              for (const evt of Record.codec().stream(reader, reader.uint32(), `${prefix}.records[]`, {
                limits: opts.limits?.records$
              })) {
                yield {
                  ...evt,
                  index: obj.records
                }
              }

              obj.records++

              break
            }
            case 33: {
              if (opts.limits?.successors != null && obj.successors === opts.limits.successors) {
                throw new MaxLengthError('Streaming decode error - repeated field "successors" had too many elements')
              }

              for (const evt of PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.successors[]`, {
                limits: opts.limits?.successors$
              })) {
                yield {
                  ...evt,
                  index: obj.successors
                }
              }

              obj.successors++

              break
            }
            case 34: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.predecessor`, {
                limits: opts.limits?.predecessor
              })

              break
            }
            case 35: {
              yield {
                field: `${prefix}.buckets`,
                value: reader.uint32()
              }
              break
            }
            case 50: {
              yield {
                field: `${prefix}.ttlMs`,
                value: reader.uint64()
              }
              break
            }
            case 51: {
              yield {
                field: `${prefix}.expiresAt`,
                value: reader.uint64()
              }
              break
            }
            case 40: {
              yield * Paxos.codec().stream(reader, reader.uint32(), `${prefix}.paxos`, {
                limits: opts.limits?.paxos
              })

              break
            }
            case 41: {
              yield * RegisterOp.codec().stream(reader, reader.uint32(), `${prefix}.registerOp`, {
                limits: opts.limits?.registerOp
              })

              break
            }
            case 42: {
              yield * Bully.codec().stream(reader, reader.uint32(), `${prefix}.bully`, {
                limits: opts.limits?.bully
              })

              break
            }
            case 60: {
              yield * LogOp.codec().stream(reader, reader.uint32(), `${prefix}.logOp`, {
                limits: opts.limits?.logOp
              })

              break
            }
            case 61: {
              yield * TopicOp.codec().stream(reader, reader.uint32(), `${prefix}.topicOp`, {
                limits: opts.limits?.topicOp
              })

              break
            }
            case 70: {
              yield * QueueOp.codec().stream(reader, reader.uint32(), `${prefix}.queueOp`, {
                limits: opts.limits?.queueOp
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RequestIdFieldEvent {
    field: '$.id'
    value: number
  }

  export interface RequestTypeFieldEvent {
    field: '$.type'
    value: number
  }

  export interface RequestHopsFieldEvent {
    field: '$.hops'
    value: number
  }

  export interface RequestMaxHopsFieldEvent {
    field: '$.maxHops'
    value: number
  }

  export interface RequestTraceFieldEvent {
    field: '$.trace'
    value: boolean
  }

  export interface RequestPathFieldEvent {
    field: '$.path[]'
    index: number
    value: string
  }

  export interface RequestLocalFieldEvent {
    field: '$.local'
    value: boolean
  }

  export interface RequestToOwnerFieldEvent {
    field: '$.toOwner'
    value: boolean
  }

  export interface RequestKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestVersionTimestampFieldEvent {
    field: '$.version.timestamp'
    value: bigint
  }

  export interface RequestVersionWriterFieldEvent {
    field: '$.version.writer'
    value: bigint
  }

  export interface RequestWriteQuorumFieldEvent {
    field: '$.writeQuorum'
    value: number
  }

  export interface RequestReadQuorumFieldEvent {
    field: '$.readQuorum'
    value: number
  }

  export interface RequestTargetFieldEvent {
    field: '$.target'
    value: bigint
  }

  export interface RequestRangeStartFieldEvent {
    field: '$.rangeStart'
    value: bigint
  }

  export interface RequestRangeEndFieldEvent {
    field: '$.rangeEnd'
    value: bigint
  }

  export interface RequestAfterPositionFieldEvent {
    field: '$.afterPosition'
    value: bigint
  }

  export interface RequestAfterKeyFieldEvent {
    field: '$.afterKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestLimitFieldEvent {
    field: '$.limit'
    value: number
  }

  export interface RequestSenderPeerIdFieldEvent {
    field: '$.sender.peerId'
    value: string
  }

  export interface RequestSenderMultiaddrsFieldEvent {
    field: '$.sender.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestRelayToPeerIdFieldEvent {
    field: '$.relayTo.peerId'
    value: string
  }

  export interface RequestRelayToMultiaddrsFieldEvent {
    field: '$.relayTo.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestRecordsKeyFieldEvent {
    field: '$.records[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RequestRecordsValueFieldEvent {
    field: '$.records[].value'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RequestRecordsVersionTimestampFieldEvent {
    field: '$.records[].version.timestamp'
    value: bigint
    index: number
  }

  export interface RequestRecordsVersionWriterFieldEvent {
    field: '$.records[].version.writer'
    value: bigint
    index: number
  }

  export interface RequestRecordsExpiresAtFieldEvent {
    field: '$.records[].expiresAt'
    value: bigint
    index: number
  }

  export interface RequestSuccessorsPeerIdFieldEvent {
    field: '$.successors[].peerId'
    value: string
    index: number
  }

  export interface RequestSuccessorsMultiaddrsFieldEvent {
    field: '$.successors[].multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestPredecessorPeerIdFieldEvent {
    field: '$.predecessor.peerId'
    value: string
  }

  export interface RequestPredecessorMultiaddrsFieldEvent {
    field: '$.predecessor.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestBucketsFieldEvent {
    field: '$.buckets'
    value: number
  }

  export interface RequestTtlMsFieldEvent {
    field: '$.ttlMs'
    value: bigint
  }

  export interface RequestExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: bigint
  }

  export interface RequestPaxosKindFieldEvent {
    field: '$.paxos.kind'
    value: number
  }

  export interface RequestPaxosBallotCounterFieldEvent {
    field: '$.paxos.ballot.counter'
    value: bigint
  }

  export interface RequestPaxosBallotProposerFieldEvent {
    field: '$.paxos.ballot.proposer'
    value: string
  }

  export interface RequestPaxosEpochFieldEvent {
    field: '$.paxos.epoch'
    value: bigint
  }

  export interface RequestPaxosRoundFieldEvent {
    field: '$.paxos.round'
    value: number
  }

  export interface RequestPaxosStateValueFieldEvent {
    field: '$.paxos.state.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestPaxosStateVersionFieldEvent {
    field: '$.paxos.state.version'
    value: bigint
  }

  export interface RequestPaxosPromiseNextCounterFieldEvent {
    field: '$.paxos.promiseNext.counter'
    value: bigint
  }

  export interface RequestPaxosPromiseNextProposerFieldEvent {
    field: '$.paxos.promiseNext.proposer'
    value: string
  }

  export interface RequestPaxosAcceptedCounterFieldEvent {
    field: '$.paxos.accepted.counter'
    value: bigint
  }

  export interface RequestPaxosAcceptedProposerFieldEvent {
    field: '$.paxos.accepted.proposer'
    value: string
  }

  export interface RequestPaxosHighestCounterFieldEvent {
    field: '$.paxos.highest.counter'
    value: bigint
  }

  export interface RequestPaxosHighestProposerFieldEvent {
    field: '$.paxos.highest.proposer'
    value: string
  }

  export interface RequestPaxosCodeFieldEvent {
    field: '$.paxos.code'
    value: string
  }

  export interface RequestPaxosPhaseFieldEvent {
    field: '$.paxos.phase'
    value: number
  }

  export interface RequestRegisterOpKindFieldEvent {
    field: '$.registerOp.kind'
    value: number
  }

  export interface RequestRegisterOpExpectedFieldEvent {
    field: '$.registerOp.expected'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestRegisterOpNextFieldEvent {
    field: '$.registerOp.next'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestRegisterOpHolderFieldEvent {
    field: '$.registerOp.holder'
    value: string
  }

  export interface RequestRegisterOpTtlMsFieldEvent {
    field: '$.registerOp.ttlMs'
    value: bigint
  }

  export interface RequestRegisterOpTokenFieldEvent {
    field: '$.registerOp.token'
    value: bigint
  }

  export interface RequestRegisterOpFenceLockFieldEvent {
    field: '$.registerOp.fenceLock'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestRegisterOpWithDecidedFieldEvent {
    field: '$.registerOp.withDecided'
    value: boolean
  }

  export interface RequestBullyKindFieldEvent {
    field: '$.bully.kind'
    value: number
  }

  export interface RequestBullyGroupFieldEvent {
    field: '$.bully.group'
    value: string
  }

  export interface RequestBullyTermFieldEvent {
    field: '$.bully.term'
    value: bigint
  }

  export interface RequestLogOpSpaceFieldEvent {
    field: '$.logOp.space'
    value: string
  }

  export interface RequestLogOpNameFieldEvent {
    field: '$.logOp.name'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestLogOpEpochFieldEvent {
    field: '$.logOp.epoch'
    value: bigint
  }

  export interface RequestLogOpPrevSeqFieldEvent {
    field: '$.logOp.prevSeq'
    value: bigint
  }

  export interface RequestLogOpPrevEpochFieldEvent {
    field: '$.logOp.prevEpoch'
    value: bigint
  }

  export interface RequestLogOpEntriesSeqFieldEvent {
    field: '$.logOp.entries[].seq'
    value: bigint
    index: number
  }

  export interface RequestLogOpEntriesEpochFieldEvent {
    field: '$.logOp.entries[].epoch'
    value: bigint
    index: number
  }

  export interface RequestLogOpEntriesPublishedAtFieldEvent {
    field: '$.logOp.entries[].publishedAt'
    value: bigint
    index: number
  }

  export interface RequestLogOpEntriesDataFieldEvent {
    field: '$.logOp.entries[].data'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RequestLogOpCommitFieldEvent {
    field: '$.logOp.commit'
    value: bigint
  }

  export interface RequestLogOpRetainFromFieldEvent {
    field: '$.logOp.retainFrom'
    value: bigint
  }

  export interface RequestLogOpFromSeqFieldEvent {
    field: '$.logOp.fromSeq'
    value: bigint
  }

  export interface RequestLogOpLimitFieldEvent {
    field: '$.logOp.limit'
    value: number
  }

  export interface RequestTopicOpTopicFieldEvent {
    field: '$.topicOp.topic'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestTopicOpMessageFieldEvent {
    field: '$.topicOp.message'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestTopicOpFromSeqFieldEvent {
    field: '$.topicOp.fromSeq'
    value: bigint
  }

  export interface RequestTopicOpLimitFieldEvent {
    field: '$.topicOp.limit'
    value: number
  }

  export interface RequestTopicOpWaitMsFieldEvent {
    field: '$.topicOp.waitMs'
    value: number
  }

  export interface RequestTopicOpFromVersionTimestampFieldEvent {
    field: '$.topicOp.fromVersion.timestamp'
    value: bigint
  }

  export interface RequestTopicOpFromVersionWriterFieldEvent {
    field: '$.topicOp.fromVersion.writer'
    value: bigint
  }

  export interface RequestTopicOpRetentionMaxEntriesFieldEvent {
    field: '$.topicOp.retention.maxEntries'
    value: bigint
  }

  export interface RequestTopicOpRetentionMaxAgeMsFieldEvent {
    field: '$.topicOp.retention.maxAgeMs'
    value: bigint
  }

  export interface RequestTopicOpViaRelayFieldEvent {
    field: '$.topicOp.viaRelay'
    value: boolean
  }

  export interface RequestTopicOpNoRedirectFieldEvent {
    field: '$.topicOp.noRedirect'
    value: boolean
  }

  export interface RequestTopicOpRelayedSubscribersFieldEvent {
    field: '$.topicOp.relayedSubscribers'
    value: number
  }

  export interface RequestTopicOpSubscriptionFieldEvent {
    field: '$.topicOp.subscription'
    value: bigint
  }

  export interface RequestQueueOpQueueFieldEvent {
    field: '$.queueOp.queue'
    value: string
  }

  export interface RequestQueueOpPayloadFieldEvent {
    field: '$.queueOp.payload'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestQueueOpDelayMsFieldEvent {
    field: '$.queueOp.delayMs'
    value: bigint
  }

  export interface RequestQueueOpPriorityFieldEvent {
    field: '$.queueOp.priority'
    value: number
  }

  export interface RequestQueueOpDedupeIdFieldEvent {
    field: '$.queueOp.dedupeId'
    value: string
  }

  export interface RequestQueueOpWorkerFieldEvent {
    field: '$.queueOp.worker'
    value: string
  }

  export interface RequestQueueOpConcurrencyFieldEvent {
    field: '$.queueOp.concurrency'
    value: number
  }

  export interface RequestQueueOpCapacityFieldEvent {
    field: '$.queueOp.capacity'
    value: number
  }

  export interface RequestQueueOpWaitMsFieldEvent {
    field: '$.queueOp.waitMs'
    value: number
  }

  export interface RequestQueueOpTaskIdFieldEvent {
    field: '$.queueOp.taskId'
    value: bigint
  }

  export interface RequestQueueOpTokenFieldEvent {
    field: '$.queueOp.token'
    value: bigint
  }

  export interface RequestQueueOpAckFieldEvent {
    field: '$.queueOp.ack'
    value: boolean
  }

  export interface RequestQueueOpReasonFieldEvent {
    field: '$.queueOp.reason'
    value: string
  }

  export interface RequestQueueOpAdminFieldEvent {
    field: '$.queueOp.admin'
    value: number
  }

  export interface RequestQueueOpSettingsPolicyFieldEvent {
    field: '$.queueOp.settings.policy'
    value: string
  }

  export interface RequestQueueOpSettingsMaxAttemptsFieldEvent {
    field: '$.queueOp.settings.maxAttempts'
    value: number
  }

  export interface RequestQueueOpSettingsLeaseMsFieldEvent {
    field: '$.queueOp.settings.leaseMs'
    value: bigint
  }

  export interface RequestQueueOpSettingsBackoffMsFieldEvent {
    field: '$.queueOp.settings.backoffMs'
    value: bigint
  }

  export interface RequestQueueOpSettingsMaxBackoffMsFieldEvent {
    field: '$.queueOp.settings.maxBackoffMs'
    value: bigint
  }

  export interface RequestQueueOpTaskIdsFieldEvent {
    field: '$.queueOp.taskIds[]'
    index: number
    value: bigint
  }

  export interface RequestQueueOpLimitFieldEvent {
    field: '$.queueOp.limit'
    value: number
  }

  export interface RequestQueueOpExtendFieldEvent {
    field: '$.queueOp.extend'
    value: boolean
  }

  export interface RequestQueueOpTakeNextFieldEvent {
    field: '$.queueOp.takeNext'
    value: boolean
  }

  export interface RequestQueueOpItemsPayloadFieldEvent {
    field: '$.queueOp.items[].payload'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RequestQueueOpItemsDelayMsFieldEvent {
    field: '$.queueOp.items[].delayMs'
    value: bigint
    index: number
  }

  export interface RequestQueueOpItemsPriorityFieldEvent {
    field: '$.queueOp.items[].priority'
    value: number
    index: number
  }

  export interface RequestQueueOpItemsDedupeIdFieldEvent {
    field: '$.queueOp.items[].dedupeId'
    value: string
    index: number
  }

  export function encode (obj: Partial<Request>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Request.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Request>): Request {
    return decodeMessage(buf, Request.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Request>): Generator<RequestIdFieldEvent | RequestTypeFieldEvent | RequestHopsFieldEvent | RequestMaxHopsFieldEvent | RequestTraceFieldEvent | RequestPathFieldEvent | RequestLocalFieldEvent | RequestToOwnerFieldEvent | RequestKeyFieldEvent | RequestValueFieldEvent | RequestVersionTimestampFieldEvent | RequestVersionWriterFieldEvent | RequestWriteQuorumFieldEvent | RequestReadQuorumFieldEvent | RequestTargetFieldEvent | RequestRangeStartFieldEvent | RequestRangeEndFieldEvent | RequestAfterPositionFieldEvent | RequestAfterKeyFieldEvent | RequestLimitFieldEvent | RequestSenderPeerIdFieldEvent | RequestSenderMultiaddrsFieldEvent | RequestRelayToPeerIdFieldEvent | RequestRelayToMultiaddrsFieldEvent | RequestRecordsKeyFieldEvent | RequestRecordsValueFieldEvent | RequestRecordsVersionTimestampFieldEvent | RequestRecordsVersionWriterFieldEvent | RequestRecordsExpiresAtFieldEvent | RequestSuccessorsPeerIdFieldEvent | RequestSuccessorsMultiaddrsFieldEvent | RequestPredecessorPeerIdFieldEvent | RequestPredecessorMultiaddrsFieldEvent | RequestBucketsFieldEvent | RequestTtlMsFieldEvent | RequestExpiresAtFieldEvent | RequestPaxosKindFieldEvent | RequestPaxosBallotCounterFieldEvent | RequestPaxosBallotProposerFieldEvent | RequestPaxosEpochFieldEvent | RequestPaxosRoundFieldEvent | RequestPaxosStateValueFieldEvent | RequestPaxosStateVersionFieldEvent | RequestPaxosPromiseNextCounterFieldEvent | RequestPaxosPromiseNextProposerFieldEvent | RequestPaxosAcceptedCounterFieldEvent | RequestPaxosAcceptedProposerFieldEvent | RequestPaxosHighestCounterFieldEvent | RequestPaxosHighestProposerFieldEvent | RequestPaxosCodeFieldEvent | RequestPaxosPhaseFieldEvent | RequestRegisterOpKindFieldEvent | RequestRegisterOpExpectedFieldEvent | RequestRegisterOpNextFieldEvent | RequestRegisterOpHolderFieldEvent | RequestRegisterOpTtlMsFieldEvent | RequestRegisterOpTokenFieldEvent | RequestRegisterOpFenceLockFieldEvent | RequestRegisterOpWithDecidedFieldEvent | RequestBullyKindFieldEvent | RequestBullyGroupFieldEvent | RequestBullyTermFieldEvent | RequestLogOpSpaceFieldEvent | RequestLogOpNameFieldEvent | RequestLogOpEpochFieldEvent | RequestLogOpPrevSeqFieldEvent | RequestLogOpPrevEpochFieldEvent | RequestLogOpEntriesSeqFieldEvent | RequestLogOpEntriesEpochFieldEvent | RequestLogOpEntriesPublishedAtFieldEvent | RequestLogOpEntriesDataFieldEvent | RequestLogOpCommitFieldEvent | RequestLogOpRetainFromFieldEvent | RequestLogOpFromSeqFieldEvent | RequestLogOpLimitFieldEvent | RequestTopicOpTopicFieldEvent | RequestTopicOpMessageFieldEvent | RequestTopicOpFromSeqFieldEvent | RequestTopicOpLimitFieldEvent | RequestTopicOpWaitMsFieldEvent | RequestTopicOpFromVersionTimestampFieldEvent | RequestTopicOpFromVersionWriterFieldEvent | RequestTopicOpRetentionMaxEntriesFieldEvent | RequestTopicOpRetentionMaxAgeMsFieldEvent | RequestTopicOpViaRelayFieldEvent | RequestTopicOpNoRedirectFieldEvent | RequestTopicOpRelayedSubscribersFieldEvent | RequestTopicOpSubscriptionFieldEvent | RequestQueueOpQueueFieldEvent | RequestQueueOpPayloadFieldEvent | RequestQueueOpDelayMsFieldEvent | RequestQueueOpPriorityFieldEvent | RequestQueueOpDedupeIdFieldEvent | RequestQueueOpWorkerFieldEvent | RequestQueueOpConcurrencyFieldEvent | RequestQueueOpCapacityFieldEvent | RequestQueueOpWaitMsFieldEvent | RequestQueueOpTaskIdFieldEvent | RequestQueueOpTokenFieldEvent | RequestQueueOpAckFieldEvent | RequestQueueOpReasonFieldEvent | RequestQueueOpAdminFieldEvent | RequestQueueOpSettingsPolicyFieldEvent | RequestQueueOpSettingsMaxAttemptsFieldEvent | RequestQueueOpSettingsLeaseMsFieldEvent | RequestQueueOpSettingsBackoffMsFieldEvent | RequestQueueOpSettingsMaxBackoffMsFieldEvent | RequestQueueOpTaskIdsFieldEvent | RequestQueueOpLimitFieldEvent | RequestQueueOpExtendFieldEvent | RequestQueueOpTakeNextFieldEvent | RequestQueueOpItemsPayloadFieldEvent | RequestQueueOpItemsDelayMsFieldEvent | RequestQueueOpItemsPriorityFieldEvent | RequestQueueOpItemsDedupeIdFieldEvent> {
    return streamMessage(buf, Request.codec(), opts)
  }
}

export interface LogEntry {
  seq: bigint
  epoch: bigint
  publishedAt: bigint
  data: Uint8Array<ArrayBuffer>
}

export namespace LogEntry {
  let _codec: Codec<LogEntry>

  export const codec = (): Codec<LogEntry> => {
    if (_codec == null) {
      _codec = message<LogEntry>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.seq != null && obj.seq !== 0n)) {
          w.uint32(8)
          w.uint64(obj.seq)
        }

        if ((obj.epoch != null && obj.epoch !== 0n)) {
          w.uint32(16)
          w.uint64(obj.epoch)
        }

        if ((obj.publishedAt != null && obj.publishedAt !== 0n)) {
          w.uint32(24)
          w.uint64(obj.publishedAt)
        }

        if ((obj.data != null && obj.data.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.data)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          seq: 0n,
          epoch: 0n,
          publishedAt: 0n,
          data: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.seq = reader.uint64()
              break
            }
            case 2: {
              obj.epoch = reader.uint64()
              break
            }
            case 3: {
              obj.publishedAt = reader.uint64()
              break
            }
            case 4: {
              obj.data = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.epoch`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.publishedAt`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.data`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface LogEntrySeqFieldEvent {
    field: '$.seq'
    value: bigint
  }

  export interface LogEntryEpochFieldEvent {
    field: '$.epoch'
    value: bigint
  }

  export interface LogEntryPublishedAtFieldEvent {
    field: '$.publishedAt'
    value: bigint
  }

  export interface LogEntryDataFieldEvent {
    field: '$.data'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<LogEntry>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, LogEntry.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LogEntry>): LogEntry {
    return decodeMessage(buf, LogEntry.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LogEntry>): Generator<LogEntrySeqFieldEvent | LogEntryEpochFieldEvent | LogEntryPublishedAtFieldEvent | LogEntryDataFieldEvent> {
    return streamMessage(buf, LogEntry.codec(), opts)
  }
}

export interface LogOp {
  space: string
  name: Uint8Array<ArrayBuffer>
  epoch: bigint
  prevSeq: bigint
  prevEpoch: bigint
  entries: LogEntry[]
  commit: bigint
  retainFrom: bigint
  fromSeq: bigint
  limit: number
}

export namespace LogOp {
  let _codec: Codec<LogOp>

  export const codec = (): Codec<LogOp> => {
    if (_codec == null) {
      _codec = message<LogOp>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.space != null && obj.space !== '')) {
          w.uint32(10)
          w.string(obj.space)
        }

        if ((obj.name != null && obj.name.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.name)
        }

        if ((obj.epoch != null && obj.epoch !== 0n)) {
          w.uint32(24)
          w.uint64(obj.epoch)
        }

        if ((obj.prevSeq != null && obj.prevSeq !== 0n)) {
          w.uint32(32)
          w.uint64(obj.prevSeq)
        }

        if ((obj.prevEpoch != null && obj.prevEpoch !== 0n)) {
          w.uint32(40)
          w.uint64(obj.prevEpoch)
        }

        if (obj.entries != null && obj.entries.length > 0) {
          for (const value of obj.entries) {
            w.uint32(50)
            LogEntry.codec().encode(value, w)
          }
        }

        if ((obj.commit != null && obj.commit !== 0n)) {
          w.uint32(56)
          w.uint64(obj.commit)
        }

        if ((obj.retainFrom != null && obj.retainFrom !== 0n)) {
          w.uint32(64)
          w.uint64(obj.retainFrom)
        }

        if ((obj.fromSeq != null && obj.fromSeq !== 0n)) {
          w.uint32(72)
          w.uint64(obj.fromSeq)
        }

        if ((obj.limit != null && obj.limit !== 0)) {
          w.uint32(80)
          w.uint32(obj.limit)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          space: '',
          name: uint8ArrayAlloc(0),
          epoch: 0n,
          prevSeq: 0n,
          prevEpoch: 0n,
          entries: [],
          commit: 0n,
          retainFrom: 0n,
          fromSeq: 0n,
          limit: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.space = reader.string()
              break
            }
            case 2: {
              obj.name = reader.bytes()
              break
            }
            case 3: {
              obj.epoch = reader.uint64()
              break
            }
            case 4: {
              obj.prevSeq = reader.uint64()
              break
            }
            case 5: {
              obj.prevEpoch = reader.uint64()
              break
            }
            case 6: {
              if (opts.limits?.entries != null && obj.entries.length === opts.limits.entries) {
                throw new MaxLengthError('Decode error - repeated field "entries" had too many elements')
              }

              obj.entries.push(LogEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.entries$
              }))
              break
            }
            case 7: {
              obj.commit = reader.uint64()
              break
            }
            case 8: {
              obj.retainFrom = reader.uint64()
              break
            }
            case 9: {
              obj.fromSeq = reader.uint64()
              break
            }
            case 10: {
              obj.limit = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          entries: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.space`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.name`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.epoch`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.prevSeq`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.prevEpoch`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              if (opts.limits?.entries != null && obj.entries === opts.limits.entries) {
                throw new MaxLengthError('Streaming decode error - repeated field "entries" had too many elements')
              }

              for (const evt of LogEntry.codec().stream(reader, reader.uint32(), `${prefix}.entries[]`, {
                limits: opts.limits?.entries$
              })) {
                yield {
                  ...evt,
                  index: obj.entries
                }
              }

              obj.entries++

              break
            }
            case 7: {
              yield {
                field: `${prefix}.commit`,
                value: reader.uint64()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.retainFrom`,
                value: reader.uint64()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.fromSeq`,
                value: reader.uint64()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.limit`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface LogOpSpaceFieldEvent {
    field: '$.space'
    value: string
  }

  export interface LogOpNameFieldEvent {
    field: '$.name'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LogOpEpochFieldEvent {
    field: '$.epoch'
    value: bigint
  }

  export interface LogOpPrevSeqFieldEvent {
    field: '$.prevSeq'
    value: bigint
  }

  export interface LogOpPrevEpochFieldEvent {
    field: '$.prevEpoch'
    value: bigint
  }

  export interface LogOpEntriesSeqFieldEvent {
    field: '$.entries[].seq'
    value: bigint
    index: number
  }

  export interface LogOpEntriesEpochFieldEvent {
    field: '$.entries[].epoch'
    value: bigint
    index: number
  }

  export interface LogOpEntriesPublishedAtFieldEvent {
    field: '$.entries[].publishedAt'
    value: bigint
    index: number
  }

  export interface LogOpEntriesDataFieldEvent {
    field: '$.entries[].data'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface LogOpCommitFieldEvent {
    field: '$.commit'
    value: bigint
  }

  export interface LogOpRetainFromFieldEvent {
    field: '$.retainFrom'
    value: bigint
  }

  export interface LogOpFromSeqFieldEvent {
    field: '$.fromSeq'
    value: bigint
  }

  export interface LogOpLimitFieldEvent {
    field: '$.limit'
    value: number
  }

  export function encode (obj: Partial<LogOp>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, LogOp.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LogOp>): LogOp {
    return decodeMessage(buf, LogOp.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LogOp>): Generator<LogOpSpaceFieldEvent | LogOpNameFieldEvent | LogOpEpochFieldEvent | LogOpPrevSeqFieldEvent | LogOpPrevEpochFieldEvent | LogOpEntriesSeqFieldEvent | LogOpEntriesEpochFieldEvent | LogOpEntriesPublishedAtFieldEvent | LogOpEntriesDataFieldEvent | LogOpCommitFieldEvent | LogOpRetainFromFieldEvent | LogOpFromSeqFieldEvent | LogOpLimitFieldEvent> {
    return streamMessage(buf, LogOp.codec(), opts)
  }
}

export interface LogState {
  promised: bigint
  firstSeq: bigint
  lastSeq: bigint
  lastEpoch: bigint
  commit: bigint
  matched: boolean
  entries: LogEntry[]
}

export namespace LogState {
  let _codec: Codec<LogState>

  export const codec = (): Codec<LogState> => {
    if (_codec == null) {
      _codec = message<LogState>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.promised != null && obj.promised !== 0n)) {
          w.uint32(8)
          w.uint64(obj.promised)
        }

        if ((obj.firstSeq != null && obj.firstSeq !== 0n)) {
          w.uint32(16)
          w.uint64(obj.firstSeq)
        }

        if ((obj.lastSeq != null && obj.lastSeq !== 0n)) {
          w.uint32(24)
          w.uint64(obj.lastSeq)
        }

        if ((obj.lastEpoch != null && obj.lastEpoch !== 0n)) {
          w.uint32(32)
          w.uint64(obj.lastEpoch)
        }

        if ((obj.commit != null && obj.commit !== 0n)) {
          w.uint32(40)
          w.uint64(obj.commit)
        }

        if ((obj.matched != null && obj.matched !== false)) {
          w.uint32(48)
          w.bool(obj.matched)
        }

        if (obj.entries != null && obj.entries.length > 0) {
          for (const value of obj.entries) {
            w.uint32(58)
            LogEntry.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          promised: 0n,
          firstSeq: 0n,
          lastSeq: 0n,
          lastEpoch: 0n,
          commit: 0n,
          matched: false,
          entries: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.promised = reader.uint64()
              break
            }
            case 2: {
              obj.firstSeq = reader.uint64()
              break
            }
            case 3: {
              obj.lastSeq = reader.uint64()
              break
            }
            case 4: {
              obj.lastEpoch = reader.uint64()
              break
            }
            case 5: {
              obj.commit = reader.uint64()
              break
            }
            case 6: {
              obj.matched = reader.bool()
              break
            }
            case 7: {
              if (opts.limits?.entries != null && obj.entries.length === opts.limits.entries) {
                throw new MaxLengthError('Decode error - repeated field "entries" had too many elements')
              }

              obj.entries.push(LogEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.entries$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          entries: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.promised`,
                value: reader.uint64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.firstSeq`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.lastSeq`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.lastEpoch`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.commit`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.matched`,
                value: reader.bool()
              }
              break
            }
            case 7: {
              if (opts.limits?.entries != null && obj.entries === opts.limits.entries) {
                throw new MaxLengthError('Streaming decode error - repeated field "entries" had too many elements')
              }

              for (const evt of LogEntry.codec().stream(reader, reader.uint32(), `${prefix}.entries[]`, {
                limits: opts.limits?.entries$
              })) {
                yield {
                  ...evt,
                  index: obj.entries
                }
              }

              obj.entries++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface LogStatePromisedFieldEvent {
    field: '$.promised'
    value: bigint
  }

  export interface LogStateFirstSeqFieldEvent {
    field: '$.firstSeq'
    value: bigint
  }

  export interface LogStateLastSeqFieldEvent {
    field: '$.lastSeq'
    value: bigint
  }

  export interface LogStateLastEpochFieldEvent {
    field: '$.lastEpoch'
    value: bigint
  }

  export interface LogStateCommitFieldEvent {
    field: '$.commit'
    value: bigint
  }

  export interface LogStateMatchedFieldEvent {
    field: '$.matched'
    value: boolean
  }

  export interface LogStateEntriesSeqFieldEvent {
    field: '$.entries[].seq'
    value: bigint
    index: number
  }

  export interface LogStateEntriesEpochFieldEvent {
    field: '$.entries[].epoch'
    value: bigint
    index: number
  }

  export interface LogStateEntriesPublishedAtFieldEvent {
    field: '$.entries[].publishedAt'
    value: bigint
    index: number
  }

  export interface LogStateEntriesDataFieldEvent {
    field: '$.entries[].data'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<LogState>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, LogState.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LogState>): LogState {
    return decodeMessage(buf, LogState.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LogState>): Generator<LogStatePromisedFieldEvent | LogStateFirstSeqFieldEvent | LogStateLastSeqFieldEvent | LogStateLastEpochFieldEvent | LogStateCommitFieldEvent | LogStateMatchedFieldEvent | LogStateEntriesSeqFieldEvent | LogStateEntriesEpochFieldEvent | LogStateEntriesPublishedAtFieldEvent | LogStateEntriesDataFieldEvent> {
    return streamMessage(buf, LogState.codec(), opts)
  }
}

export interface TopicOp {
  topic: Uint8Array<ArrayBuffer>
  message?: Uint8Array<ArrayBuffer>
  fromSeq: bigint
  limit: number
  waitMs: number
  fromVersion?: Version
  retention?: TopicRetention
  viaRelay: boolean
  noRedirect: boolean
  relayedSubscribers: number
  subscription: bigint
}

export namespace TopicOp {
  let _codec: Codec<TopicOp>

  export const codec = (): Codec<TopicOp> => {
    if (_codec == null) {
      _codec = message<TopicOp>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.topic != null && obj.topic.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.topic)
        }

        if (obj.message != null) {
          w.uint32(18)
          w.bytes(obj.message)
        }

        if ((obj.fromSeq != null && obj.fromSeq !== 0n)) {
          w.uint32(24)
          w.uint64(obj.fromSeq)
        }

        if ((obj.limit != null && obj.limit !== 0)) {
          w.uint32(32)
          w.uint32(obj.limit)
        }

        if ((obj.waitMs != null && obj.waitMs !== 0)) {
          w.uint32(40)
          w.uint32(obj.waitMs)
        }

        if (obj.fromVersion != null) {
          w.uint32(50)
          Version.codec().encode(obj.fromVersion, w)
        }

        if (obj.retention != null) {
          w.uint32(58)
          TopicRetention.codec().encode(obj.retention, w)
        }

        if ((obj.viaRelay != null && obj.viaRelay !== false)) {
          w.uint32(64)
          w.bool(obj.viaRelay)
        }

        if ((obj.noRedirect != null && obj.noRedirect !== false)) {
          w.uint32(72)
          w.bool(obj.noRedirect)
        }

        if ((obj.relayedSubscribers != null && obj.relayedSubscribers !== 0)) {
          w.uint32(80)
          w.uint32(obj.relayedSubscribers)
        }

        if ((obj.subscription != null && obj.subscription !== 0n)) {
          w.uint32(88)
          w.uint64(obj.subscription)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          topic: uint8ArrayAlloc(0),
          fromSeq: 0n,
          limit: 0,
          waitMs: 0,
          viaRelay: false,
          noRedirect: false,
          relayedSubscribers: 0,
          subscription: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.topic = reader.bytes()
              break
            }
            case 2: {
              obj.message = reader.bytes()
              break
            }
            case 3: {
              obj.fromSeq = reader.uint64()
              break
            }
            case 4: {
              obj.limit = reader.uint32()
              break
            }
            case 5: {
              obj.waitMs = reader.uint32()
              break
            }
            case 6: {
              obj.fromVersion = Version.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.fromVersion
              })
              break
            }
            case 7: {
              obj.retention = TopicRetention.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.retention
              })
              break
            }
            case 8: {
              obj.viaRelay = reader.bool()
              break
            }
            case 9: {
              obj.noRedirect = reader.bool()
              break
            }
            case 10: {
              obj.relayedSubscribers = reader.uint32()
              break
            }
            case 11: {
              obj.subscription = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.topic`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.message`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.fromSeq`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.limit`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.waitMs`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
              yield * Version.codec().stream(reader, reader.uint32(), `${prefix}.fromVersion`, {
                limits: opts.limits?.fromVersion
              })

              break
            }
            case 7: {
              yield * TopicRetention.codec().stream(reader, reader.uint32(), `${prefix}.retention`, {
                limits: opts.limits?.retention
              })

              break
            }
            case 8: {
              yield {
                field: `${prefix}.viaRelay`,
                value: reader.bool()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.noRedirect`,
                value: reader.bool()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.relayedSubscribers`,
                value: reader.uint32()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.subscription`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface TopicOpTopicFieldEvent {
    field: '$.topic'
    value: Uint8Array<ArrayBuffer>
  }

  export interface TopicOpMessageFieldEvent {
    field: '$.message'
    value: Uint8Array<ArrayBuffer>
  }

  export interface TopicOpFromSeqFieldEvent {
    field: '$.fromSeq'
    value: bigint
  }

  export interface TopicOpLimitFieldEvent {
    field: '$.limit'
    value: number
  }

  export interface TopicOpWaitMsFieldEvent {
    field: '$.waitMs'
    value: number
  }

  export interface TopicOpFromVersionTimestampFieldEvent {
    field: '$.fromVersion.timestamp'
    value: bigint
  }

  export interface TopicOpFromVersionWriterFieldEvent {
    field: '$.fromVersion.writer'
    value: bigint
  }

  export interface TopicOpRetentionMaxEntriesFieldEvent {
    field: '$.retention.maxEntries'
    value: bigint
  }

  export interface TopicOpRetentionMaxAgeMsFieldEvent {
    field: '$.retention.maxAgeMs'
    value: bigint
  }

  export interface TopicOpViaRelayFieldEvent {
    field: '$.viaRelay'
    value: boolean
  }

  export interface TopicOpNoRedirectFieldEvent {
    field: '$.noRedirect'
    value: boolean
  }

  export interface TopicOpRelayedSubscribersFieldEvent {
    field: '$.relayedSubscribers'
    value: number
  }

  export interface TopicOpSubscriptionFieldEvent {
    field: '$.subscription'
    value: bigint
  }

  export function encode (obj: Partial<TopicOp>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, TopicOp.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TopicOp>): TopicOp {
    return decodeMessage(buf, TopicOp.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TopicOp>): Generator<TopicOpTopicFieldEvent | TopicOpMessageFieldEvent | TopicOpFromSeqFieldEvent | TopicOpLimitFieldEvent | TopicOpWaitMsFieldEvent | TopicOpFromVersionTimestampFieldEvent | TopicOpFromVersionWriterFieldEvent | TopicOpRetentionMaxEntriesFieldEvent | TopicOpRetentionMaxAgeMsFieldEvent | TopicOpViaRelayFieldEvent | TopicOpNoRedirectFieldEvent | TopicOpRelayedSubscribersFieldEvent | TopicOpSubscriptionFieldEvent> {
    return streamMessage(buf, TopicOp.codec(), opts)
  }
}

export interface TopicRetention {
  maxEntries: bigint
  maxAgeMs: bigint
}

export namespace TopicRetention {
  let _codec: Codec<TopicRetention>

  export const codec = (): Codec<TopicRetention> => {
    if (_codec == null) {
      _codec = message<TopicRetention>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.maxEntries != null && obj.maxEntries !== 0n)) {
          w.uint32(8)
          w.uint64(obj.maxEntries)
        }

        if ((obj.maxAgeMs != null && obj.maxAgeMs !== 0n)) {
          w.uint32(16)
          w.uint64(obj.maxAgeMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          maxEntries: 0n,
          maxAgeMs: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.maxEntries = reader.uint64()
              break
            }
            case 2: {
              obj.maxAgeMs = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.maxEntries`,
                value: reader.uint64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.maxAgeMs`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface TopicRetentionMaxEntriesFieldEvent {
    field: '$.maxEntries'
    value: bigint
  }

  export interface TopicRetentionMaxAgeMsFieldEvent {
    field: '$.maxAgeMs'
    value: bigint
  }

  export function encode (obj: Partial<TopicRetention>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, TopicRetention.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TopicRetention>): TopicRetention {
    return decodeMessage(buf, TopicRetention.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TopicRetention>): Generator<TopicRetentionMaxEntriesFieldEvent | TopicRetentionMaxAgeMsFieldEvent> {
    return streamMessage(buf, TopicRetention.codec(), opts)
  }
}

export interface WatchChange {
  version?: Version
  deleted: boolean
  value?: Uint8Array<ArrayBuffer>
  valueOmitted: boolean
  expiresAt?: bigint
  baseline: boolean
}

export namespace WatchChange {
  let _codec: Codec<WatchChange>

  export const codec = (): Codec<WatchChange> => {
    if (_codec == null) {
      _codec = message<WatchChange>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.version != null) {
          w.uint32(10)
          Version.codec().encode(obj.version, w)
        }

        if ((obj.deleted != null && obj.deleted !== false)) {
          w.uint32(16)
          w.bool(obj.deleted)
        }

        if (obj.value != null) {
          w.uint32(26)
          w.bytes(obj.value)
        }

        if ((obj.valueOmitted != null && obj.valueOmitted !== false)) {
          w.uint32(32)
          w.bool(obj.valueOmitted)
        }

        if (obj.expiresAt != null) {
          w.uint32(40)
          w.uint64(obj.expiresAt)
        }

        if ((obj.baseline != null && obj.baseline !== false)) {
          w.uint32(48)
          w.bool(obj.baseline)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          deleted: false,
          valueOmitted: false,
          baseline: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = Version.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.version
              })
              break
            }
            case 2: {
              obj.deleted = reader.bool()
              break
            }
            case 3: {
              obj.value = reader.bytes()
              break
            }
            case 4: {
              obj.valueOmitted = reader.bool()
              break
            }
            case 5: {
              obj.expiresAt = reader.uint64()
              break
            }
            case 6: {
              obj.baseline = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Version.codec().stream(reader, reader.uint32(), `${prefix}.version`, {
                limits: opts.limits?.version
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.deleted`,
                value: reader.bool()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.value`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.valueOmitted`,
                value: reader.bool()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.expiresAt`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.baseline`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface WatchChangeVersionTimestampFieldEvent {
    field: '$.version.timestamp'
    value: bigint
  }

  export interface WatchChangeVersionWriterFieldEvent {
    field: '$.version.writer'
    value: bigint
  }

  export interface WatchChangeDeletedFieldEvent {
    field: '$.deleted'
    value: boolean
  }

  export interface WatchChangeValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface WatchChangeValueOmittedFieldEvent {
    field: '$.valueOmitted'
    value: boolean
  }

  export interface WatchChangeExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: bigint
  }

  export interface WatchChangeBaselineFieldEvent {
    field: '$.baseline'
    value: boolean
  }

  export function encode (obj: Partial<WatchChange>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, WatchChange.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<WatchChange>): WatchChange {
    return decodeMessage(buf, WatchChange.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<WatchChange>): Generator<WatchChangeVersionTimestampFieldEvent | WatchChangeVersionWriterFieldEvent | WatchChangeDeletedFieldEvent | WatchChangeValueFieldEvent | WatchChangeValueOmittedFieldEvent | WatchChangeExpiresAtFieldEvent | WatchChangeBaselineFieldEvent> {
    return streamMessage(buf, WatchChange.codec(), opts)
  }
}

export interface TopicResult {
  seq: bigint
  entries: LogEntry[]
  lastSeq: bigint
  firstSeq: bigint
  retention?: TopicRetention
  useRelay: boolean
}

export namespace TopicResult {
  let _codec: Codec<TopicResult>

  export const codec = (): Codec<TopicResult> => {
    if (_codec == null) {
      _codec = message<TopicResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.seq != null && obj.seq !== 0n)) {
          w.uint32(8)
          w.uint64(obj.seq)
        }

        if (obj.entries != null && obj.entries.length > 0) {
          for (const value of obj.entries) {
            w.uint32(18)
            LogEntry.codec().encode(value, w)
          }
        }

        if ((obj.lastSeq != null && obj.lastSeq !== 0n)) {
          w.uint32(24)
          w.uint64(obj.lastSeq)
        }

        if ((obj.firstSeq != null && obj.firstSeq !== 0n)) {
          w.uint32(32)
          w.uint64(obj.firstSeq)
        }

        if (obj.retention != null) {
          w.uint32(42)
          TopicRetention.codec().encode(obj.retention, w)
        }

        if ((obj.useRelay != null && obj.useRelay !== false)) {
          w.uint32(48)
          w.bool(obj.useRelay)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          seq: 0n,
          entries: [],
          lastSeq: 0n,
          firstSeq: 0n,
          useRelay: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.seq = reader.uint64()
              break
            }
            case 2: {
              if (opts.limits?.entries != null && obj.entries.length === opts.limits.entries) {
                throw new MaxLengthError('Decode error - repeated field "entries" had too many elements')
              }

              obj.entries.push(LogEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.entries$
              }))
              break
            }
            case 3: {
              obj.lastSeq = reader.uint64()
              break
            }
            case 4: {
              obj.firstSeq = reader.uint64()
              break
            }
            case 5: {
              obj.retention = TopicRetention.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.retention
              })
              break
            }
            case 6: {
              obj.useRelay = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          entries: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint64()
              }
              break
            }
            case 2: {
              if (opts.limits?.entries != null && obj.entries === opts.limits.entries) {
                throw new MaxLengthError('Streaming decode error - repeated field "entries" had too many elements')
              }

              for (const evt of LogEntry.codec().stream(reader, reader.uint32(), `${prefix}.entries[]`, {
                limits: opts.limits?.entries$
              })) {
                yield {
                  ...evt,
                  index: obj.entries
                }
              }

              obj.entries++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.lastSeq`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.firstSeq`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield * TopicRetention.codec().stream(reader, reader.uint32(), `${prefix}.retention`, {
                limits: opts.limits?.retention
              })

              break
            }
            case 6: {
              yield {
                field: `${prefix}.useRelay`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface TopicResultSeqFieldEvent {
    field: '$.seq'
    value: bigint
  }

  export interface TopicResultEntriesSeqFieldEvent {
    field: '$.entries[].seq'
    value: bigint
    index: number
  }

  export interface TopicResultEntriesEpochFieldEvent {
    field: '$.entries[].epoch'
    value: bigint
    index: number
  }

  export interface TopicResultEntriesPublishedAtFieldEvent {
    field: '$.entries[].publishedAt'
    value: bigint
    index: number
  }

  export interface TopicResultEntriesDataFieldEvent {
    field: '$.entries[].data'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface TopicResultLastSeqFieldEvent {
    field: '$.lastSeq'
    value: bigint
  }

  export interface TopicResultFirstSeqFieldEvent {
    field: '$.firstSeq'
    value: bigint
  }

  export interface TopicResultRetentionMaxEntriesFieldEvent {
    field: '$.retention.maxEntries'
    value: bigint
  }

  export interface TopicResultRetentionMaxAgeMsFieldEvent {
    field: '$.retention.maxAgeMs'
    value: bigint
  }

  export interface TopicResultUseRelayFieldEvent {
    field: '$.useRelay'
    value: boolean
  }

  export function encode (obj: Partial<TopicResult>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, TopicResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TopicResult>): TopicResult {
    return decodeMessage(buf, TopicResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TopicResult>): Generator<TopicResultSeqFieldEvent | TopicResultEntriesSeqFieldEvent | TopicResultEntriesEpochFieldEvent | TopicResultEntriesPublishedAtFieldEvent | TopicResultEntriesDataFieldEvent | TopicResultLastSeqFieldEvent | TopicResultFirstSeqFieldEvent | TopicResultRetentionMaxEntriesFieldEvent | TopicResultRetentionMaxAgeMsFieldEvent | TopicResultUseRelayFieldEvent> {
    return streamMessage(buf, TopicResult.codec(), opts)
  }
}

export interface QueueOp {
  queue: string
  payload: Uint8Array<ArrayBuffer>
  delayMs: bigint
  priority: number
  dedupeId?: string
  worker: string
  concurrency: number
  capacity: number
  waitMs: number
  taskId: bigint
  token: bigint
  ack: boolean
  reason: string
  admin: number
  settings?: QueueSettings
  taskIds: bigint[]
  limit: number
  extend: boolean
  takeNext: boolean
  items: QueueItem[]
}

export namespace QueueOp {
  let _codec: Codec<QueueOp>

  export const codec = (): Codec<QueueOp> => {
    if (_codec == null) {
      _codec = message<QueueOp>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.queue != null && obj.queue !== '')) {
          w.uint32(10)
          w.string(obj.queue)
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.payload)
        }

        if ((obj.delayMs != null && obj.delayMs !== 0n)) {
          w.uint32(24)
          w.uint64(obj.delayMs)
        }

        if ((obj.priority != null && obj.priority !== 0)) {
          w.uint32(32)
          w.sint32(obj.priority)
        }

        if (obj.dedupeId != null) {
          w.uint32(42)
          w.string(obj.dedupeId)
        }

        if ((obj.worker != null && obj.worker !== '')) {
          w.uint32(50)
          w.string(obj.worker)
        }

        if ((obj.concurrency != null && obj.concurrency !== 0)) {
          w.uint32(56)
          w.uint32(obj.concurrency)
        }

        if ((obj.capacity != null && obj.capacity !== 0)) {
          w.uint32(65)
          w.double(obj.capacity)
        }

        if ((obj.waitMs != null && obj.waitMs !== 0)) {
          w.uint32(72)
          w.uint32(obj.waitMs)
        }

        if ((obj.taskId != null && obj.taskId !== 0n)) {
          w.uint32(80)
          w.uint64(obj.taskId)
        }

        if ((obj.token != null && obj.token !== 0n)) {
          w.uint32(88)
          w.uint64(obj.token)
        }

        if ((obj.ack != null && obj.ack !== false)) {
          w.uint32(96)
          w.bool(obj.ack)
        }

        if ((obj.reason != null && obj.reason !== '')) {
          w.uint32(106)
          w.string(obj.reason)
        }

        if ((obj.admin != null && obj.admin !== 0)) {
          w.uint32(112)
          w.uint32(obj.admin)
        }

        if (obj.settings != null) {
          w.uint32(122)
          QueueSettings.codec().encode(obj.settings, w)
        }

        if (obj.taskIds != null && obj.taskIds.length > 0) {
          for (const value of obj.taskIds) {
            w.uint32(128)
            w.uint64(value)
          }
        }

        if ((obj.limit != null && obj.limit !== 0)) {
          w.uint32(136)
          w.uint32(obj.limit)
        }

        if ((obj.extend != null && obj.extend !== false)) {
          w.uint32(144)
          w.bool(obj.extend)
        }

        if ((obj.takeNext != null && obj.takeNext !== false)) {
          w.uint32(152)
          w.bool(obj.takeNext)
        }

        if (obj.items != null && obj.items.length > 0) {
          for (const value of obj.items) {
            w.uint32(162)
            QueueItem.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          queue: '',
          payload: uint8ArrayAlloc(0),
          delayMs: 0n,
          priority: 0,
          worker: '',
          concurrency: 0,
          capacity: 0,
          waitMs: 0,
          taskId: 0n,
          token: 0n,
          ack: false,
          reason: '',
          admin: 0,
          taskIds: [],
          limit: 0,
          extend: false,
          takeNext: false,
          items: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.queue = reader.string()
              break
            }
            case 2: {
              obj.payload = reader.bytes()
              break
            }
            case 3: {
              obj.delayMs = reader.uint64()
              break
            }
            case 4: {
              obj.priority = reader.sint32()
              break
            }
            case 5: {
              obj.dedupeId = reader.string()
              break
            }
            case 6: {
              obj.worker = reader.string()
              break
            }
            case 7: {
              obj.concurrency = reader.uint32()
              break
            }
            case 8: {
              obj.capacity = reader.double()
              break
            }
            case 9: {
              obj.waitMs = reader.uint32()
              break
            }
            case 10: {
              obj.taskId = reader.uint64()
              break
            }
            case 11: {
              obj.token = reader.uint64()
              break
            }
            case 12: {
              obj.ack = reader.bool()
              break
            }
            case 13: {
              obj.reason = reader.string()
              break
            }
            case 14: {
              obj.admin = reader.uint32()
              break
            }
            case 15: {
              obj.settings = QueueSettings.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.settings
              })
              break
            }
            case 16: {
              if (opts.limits?.taskIds != null && obj.taskIds.length === opts.limits.taskIds) {
                throw new MaxLengthError('Decode error - repeated field "taskIds" had too many elements')
              }

              obj.taskIds.push(reader.uint64())
              break
            }
            case 17: {
              obj.limit = reader.uint32()
              break
            }
            case 18: {
              obj.extend = reader.bool()
              break
            }
            case 19: {
              obj.takeNext = reader.bool()
              break
            }
            case 20: {
              if (opts.limits?.items != null && obj.items.length === opts.limits.items) {
                throw new MaxLengthError('Decode error - repeated field "items" had too many elements')
              }

              obj.items.push(QueueItem.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.items$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          taskIds: 0,
          items: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.queue`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.payload`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.delayMs`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.priority`,
                value: reader.sint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.dedupeId`,
                value: reader.string()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.worker`,
                value: reader.string()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.concurrency`,
                value: reader.uint32()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.capacity`,
                value: reader.double()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.waitMs`,
                value: reader.uint32()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.taskId`,
                value: reader.uint64()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.token`,
                value: reader.uint64()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.ack`,
                value: reader.bool()
              }
              break
            }
            case 13: {
              yield {
                field: `${prefix}.reason`,
                value: reader.string()
              }
              break
            }
            case 14: {
              yield {
                field: `${prefix}.admin`,
                value: reader.uint32()
              }
              break
            }
            case 15: {
              yield * QueueSettings.codec().stream(reader, reader.uint32(), `${prefix}.settings`, {
                limits: opts.limits?.settings
              })

              break
            }
            case 16: {
              if (opts.limits?.taskIds != null && obj.taskIds === opts.limits.taskIds) {
                throw new MaxLengthError('Streaming decode error - repeated field "taskIds" had too many elements')
              }

              yield {
                field: `${prefix}.taskIds[]`,
                index: obj.taskIds,
                value: reader.uint64()
              }

              obj.taskIds++

              break
            }
            case 17: {
              yield {
                field: `${prefix}.limit`,
                value: reader.uint32()
              }
              break
            }
            case 18: {
              yield {
                field: `${prefix}.extend`,
                value: reader.bool()
              }
              break
            }
            case 19: {
              yield {
                field: `${prefix}.takeNext`,
                value: reader.bool()
              }
              break
            }
            case 20: {
              if (opts.limits?.items != null && obj.items === opts.limits.items) {
                throw new MaxLengthError('Streaming decode error - repeated field "items" had too many elements')
              }

              for (const evt of QueueItem.codec().stream(reader, reader.uint32(), `${prefix}.items[]`, {
                limits: opts.limits?.items$
              })) {
                yield {
                  ...evt,
                  index: obj.items
                }
              }

              obj.items++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface QueueOpQueueFieldEvent {
    field: '$.queue'
    value: string
  }

  export interface QueueOpPayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array<ArrayBuffer>
  }

  export interface QueueOpDelayMsFieldEvent {
    field: '$.delayMs'
    value: bigint
  }

  export interface QueueOpPriorityFieldEvent {
    field: '$.priority'
    value: number
  }

  export interface QueueOpDedupeIdFieldEvent {
    field: '$.dedupeId'
    value: string
  }

  export interface QueueOpWorkerFieldEvent {
    field: '$.worker'
    value: string
  }

  export interface QueueOpConcurrencyFieldEvent {
    field: '$.concurrency'
    value: number
  }

  export interface QueueOpCapacityFieldEvent {
    field: '$.capacity'
    value: number
  }

  export interface QueueOpWaitMsFieldEvent {
    field: '$.waitMs'
    value: number
  }

  export interface QueueOpTaskIdFieldEvent {
    field: '$.taskId'
    value: bigint
  }

  export interface QueueOpTokenFieldEvent {
    field: '$.token'
    value: bigint
  }

  export interface QueueOpAckFieldEvent {
    field: '$.ack'
    value: boolean
  }

  export interface QueueOpReasonFieldEvent {
    field: '$.reason'
    value: string
  }

  export interface QueueOpAdminFieldEvent {
    field: '$.admin'
    value: number
  }

  export interface QueueOpSettingsPolicyFieldEvent {
    field: '$.settings.policy'
    value: string
  }

  export interface QueueOpSettingsMaxAttemptsFieldEvent {
    field: '$.settings.maxAttempts'
    value: number
  }

  export interface QueueOpSettingsLeaseMsFieldEvent {
    field: '$.settings.leaseMs'
    value: bigint
  }

  export interface QueueOpSettingsBackoffMsFieldEvent {
    field: '$.settings.backoffMs'
    value: bigint
  }

  export interface QueueOpSettingsMaxBackoffMsFieldEvent {
    field: '$.settings.maxBackoffMs'
    value: bigint
  }

  export interface QueueOpTaskIdsFieldEvent {
    field: '$.taskIds[]'
    index: number
    value: bigint
  }

  export interface QueueOpLimitFieldEvent {
    field: '$.limit'
    value: number
  }

  export interface QueueOpExtendFieldEvent {
    field: '$.extend'
    value: boolean
  }

  export interface QueueOpTakeNextFieldEvent {
    field: '$.takeNext'
    value: boolean
  }

  export interface QueueOpItemsPayloadFieldEvent {
    field: '$.items[].payload'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface QueueOpItemsDelayMsFieldEvent {
    field: '$.items[].delayMs'
    value: bigint
    index: number
  }

  export interface QueueOpItemsPriorityFieldEvent {
    field: '$.items[].priority'
    value: number
    index: number
  }

  export interface QueueOpItemsDedupeIdFieldEvent {
    field: '$.items[].dedupeId'
    value: string
    index: number
  }

  export function encode (obj: Partial<QueueOp>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, QueueOp.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueOp>): QueueOp {
    return decodeMessage(buf, QueueOp.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueOp>): Generator<QueueOpQueueFieldEvent | QueueOpPayloadFieldEvent | QueueOpDelayMsFieldEvent | QueueOpPriorityFieldEvent | QueueOpDedupeIdFieldEvent | QueueOpWorkerFieldEvent | QueueOpConcurrencyFieldEvent | QueueOpCapacityFieldEvent | QueueOpWaitMsFieldEvent | QueueOpTaskIdFieldEvent | QueueOpTokenFieldEvent | QueueOpAckFieldEvent | QueueOpReasonFieldEvent | QueueOpAdminFieldEvent | QueueOpSettingsPolicyFieldEvent | QueueOpSettingsMaxAttemptsFieldEvent | QueueOpSettingsLeaseMsFieldEvent | QueueOpSettingsBackoffMsFieldEvent | QueueOpSettingsMaxBackoffMsFieldEvent | QueueOpTaskIdsFieldEvent | QueueOpLimitFieldEvent | QueueOpExtendFieldEvent | QueueOpTakeNextFieldEvent | QueueOpItemsPayloadFieldEvent | QueueOpItemsDelayMsFieldEvent | QueueOpItemsPriorityFieldEvent | QueueOpItemsDedupeIdFieldEvent> {
    return streamMessage(buf, QueueOp.codec(), opts)
  }
}

export interface QueueItem {
  payload: Uint8Array<ArrayBuffer>
  delayMs: bigint
  priority: number
  dedupeId?: string
}

export namespace QueueItem {
  let _codec: Codec<QueueItem>

  export const codec = (): Codec<QueueItem> => {
    if (_codec == null) {
      _codec = message<QueueItem>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.payload)
        }

        if ((obj.delayMs != null && obj.delayMs !== 0n)) {
          w.uint32(16)
          w.uint64(obj.delayMs)
        }

        if ((obj.priority != null && obj.priority !== 0)) {
          w.uint32(24)
          w.sint32(obj.priority)
        }

        if (obj.dedupeId != null) {
          w.uint32(34)
          w.string(obj.dedupeId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          payload: uint8ArrayAlloc(0),
          delayMs: 0n,
          priority: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.payload = reader.bytes()
              break
            }
            case 2: {
              obj.delayMs = reader.uint64()
              break
            }
            case 3: {
              obj.priority = reader.sint32()
              break
            }
            case 4: {
              obj.dedupeId = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.payload`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.delayMs`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.priority`,
                value: reader.sint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.dedupeId`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface QueueItemPayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array<ArrayBuffer>
  }

  export interface QueueItemDelayMsFieldEvent {
    field: '$.delayMs'
    value: bigint
  }

  export interface QueueItemPriorityFieldEvent {
    field: '$.priority'
    value: number
  }

  export interface QueueItemDedupeIdFieldEvent {
    field: '$.dedupeId'
    value: string
  }

  export function encode (obj: Partial<QueueItem>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, QueueItem.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueItem>): QueueItem {
    return decodeMessage(buf, QueueItem.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueItem>): Generator<QueueItemPayloadFieldEvent | QueueItemDelayMsFieldEvent | QueueItemPriorityFieldEvent | QueueItemDedupeIdFieldEvent> {
    return streamMessage(buf, QueueItem.codec(), opts)
  }
}

export interface QueueEnqueued {
  taskId: bigint
  duplicate: boolean
  error: number
  message: string
}

export namespace QueueEnqueued {
  let _codec: Codec<QueueEnqueued>

  export const codec = (): Codec<QueueEnqueued> => {
    if (_codec == null) {
      _codec = message<QueueEnqueued>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.taskId != null && obj.taskId !== 0n)) {
          w.uint32(8)
          w.uint64(obj.taskId)
        }

        if ((obj.duplicate != null && obj.duplicate !== false)) {
          w.uint32(16)
          w.bool(obj.duplicate)
        }

        if ((obj.error != null && obj.error !== 0)) {
          w.uint32(24)
          w.uint32(obj.error)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(34)
          w.string(obj.message)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          taskId: 0n,
          duplicate: false,
          error: 0,
          message: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.taskId = reader.uint64()
              break
            }
            case 2: {
              obj.duplicate = reader.bool()
              break
            }
            case 3: {
              obj.error = reader.uint32()
              break
            }
            case 4: {
              obj.message = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.taskId`,
                value: reader.uint64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.duplicate`,
                value: reader.bool()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.error`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.message`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface QueueEnqueuedTaskIdFieldEvent {
    field: '$.taskId'
    value: bigint
  }

  export interface QueueEnqueuedDuplicateFieldEvent {
    field: '$.duplicate'
    value: boolean
  }

  export interface QueueEnqueuedErrorFieldEvent {
    field: '$.error'
    value: number
  }

  export interface QueueEnqueuedMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export function encode (obj: Partial<QueueEnqueued>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, QueueEnqueued.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueEnqueued>): QueueEnqueued {
    return decodeMessage(buf, QueueEnqueued.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueEnqueued>): Generator<QueueEnqueuedTaskIdFieldEvent | QueueEnqueuedDuplicateFieldEvent | QueueEnqueuedErrorFieldEvent | QueueEnqueuedMessageFieldEvent> {
    return streamMessage(buf, QueueEnqueued.codec(), opts)
  }
}

export interface QueueSettings {
  policy: string
  maxAttempts: number
  leaseMs: bigint
  backoffMs: bigint
  maxBackoffMs: bigint
}

export namespace QueueSettings {
  let _codec: Codec<QueueSettings>

  export const codec = (): Codec<QueueSettings> => {
    if (_codec == null) {
      _codec = message<QueueSettings>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.policy != null && obj.policy !== '')) {
          w.uint32(10)
          w.string(obj.policy)
        }

        if ((obj.maxAttempts != null && obj.maxAttempts !== 0)) {
          w.uint32(16)
          w.uint32(obj.maxAttempts)
        }

        if ((obj.leaseMs != null && obj.leaseMs !== 0n)) {
          w.uint32(24)
          w.uint64(obj.leaseMs)
        }

        if ((obj.backoffMs != null && obj.backoffMs !== 0n)) {
          w.uint32(32)
          w.uint64(obj.backoffMs)
        }

        if ((obj.maxBackoffMs != null && obj.maxBackoffMs !== 0n)) {
          w.uint32(40)
          w.uint64(obj.maxBackoffMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          policy: '',
          maxAttempts: 0,
          leaseMs: 0n,
          backoffMs: 0n,
          maxBackoffMs: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.policy = reader.string()
              break
            }
            case 2: {
              obj.maxAttempts = reader.uint32()
              break
            }
            case 3: {
              obj.leaseMs = reader.uint64()
              break
            }
            case 4: {
              obj.backoffMs = reader.uint64()
              break
            }
            case 5: {
              obj.maxBackoffMs = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.policy`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.maxAttempts`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.leaseMs`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.backoffMs`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.maxBackoffMs`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface QueueSettingsPolicyFieldEvent {
    field: '$.policy'
    value: string
  }

  export interface QueueSettingsMaxAttemptsFieldEvent {
    field: '$.maxAttempts'
    value: number
  }

  export interface QueueSettingsLeaseMsFieldEvent {
    field: '$.leaseMs'
    value: bigint
  }

  export interface QueueSettingsBackoffMsFieldEvent {
    field: '$.backoffMs'
    value: bigint
  }

  export interface QueueSettingsMaxBackoffMsFieldEvent {
    field: '$.maxBackoffMs'
    value: bigint
  }

  export function encode (obj: Partial<QueueSettings>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, QueueSettings.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueSettings>): QueueSettings {
    return decodeMessage(buf, QueueSettings.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueSettings>): Generator<QueueSettingsPolicyFieldEvent | QueueSettingsMaxAttemptsFieldEvent | QueueSettingsLeaseMsFieldEvent | QueueSettingsBackoffMsFieldEvent | QueueSettingsMaxBackoffMsFieldEvent> {
    return streamMessage(buf, QueueSettings.codec(), opts)
  }
}

export interface QueueTask {
  taskId: bigint
  payload: Uint8Array<ArrayBuffer>
  priority: number
  enqueuedAt: bigint
  attempts: number
  token: bigint
  deadline: bigint
  error: string
}

export namespace QueueTask {
  let _codec: Codec<QueueTask>

  export const codec = (): Codec<QueueTask> => {
    if (_codec == null) {
      _codec = message<QueueTask>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.taskId != null && obj.taskId !== 0n)) {
          w.uint32(8)
          w.uint64(obj.taskId)
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.payload)
        }

        if ((obj.priority != null && obj.priority !== 0)) {
          w.uint32(24)
          w.sint32(obj.priority)
        }

        if ((obj.enqueuedAt != null && obj.enqueuedAt !== 0n)) {
          w.uint32(32)
          w.uint64(obj.enqueuedAt)
        }

        if ((obj.attempts != null && obj.attempts !== 0)) {
          w.uint32(40)
          w.uint32(obj.attempts)
        }

        if ((obj.token != null && obj.token !== 0n)) {
          w.uint32(48)
          w.uint64(obj.token)
        }

        if ((obj.deadline != null && obj.deadline !== 0n)) {
          w.uint32(56)
          w.uint64(obj.deadline)
        }

        if ((obj.error != null && obj.error !== '')) {
          w.uint32(66)
          w.string(obj.error)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          taskId: 0n,
          payload: uint8ArrayAlloc(0),
          priority: 0,
          enqueuedAt: 0n,
          attempts: 0,
          token: 0n,
          deadline: 0n,
          error: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.taskId = reader.uint64()
              break
            }
            case 2: {
              obj.payload = reader.bytes()
              break
            }
            case 3: {
              obj.priority = reader.sint32()
              break
            }
            case 4: {
              obj.enqueuedAt = reader.uint64()
              break
            }
            case 5: {
              obj.attempts = reader.uint32()
              break
            }
            case 6: {
              obj.token = reader.uint64()
              break
            }
            case 7: {
              obj.deadline = reader.uint64()
              break
            }
            case 8: {
              obj.error = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.taskId`,
                value: reader.uint64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.payload`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.priority`,
                value: reader.sint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.enqueuedAt`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.attempts`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.token`,
                value: reader.uint64()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.deadline`,
                value: reader.uint64()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.error`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface QueueTaskTaskIdFieldEvent {
    field: '$.taskId'
    value: bigint
  }

  export interface QueueTaskPayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array<ArrayBuffer>
  }

  export interface QueueTaskPriorityFieldEvent {
    field: '$.priority'
    value: number
  }

  export interface QueueTaskEnqueuedAtFieldEvent {
    field: '$.enqueuedAt'
    value: bigint
  }

  export interface QueueTaskAttemptsFieldEvent {
    field: '$.attempts'
    value: number
  }

  export interface QueueTaskTokenFieldEvent {
    field: '$.token'
    value: bigint
  }

  export interface QueueTaskDeadlineFieldEvent {
    field: '$.deadline'
    value: bigint
  }

  export interface QueueTaskErrorFieldEvent {
    field: '$.error'
    value: string
  }

  export function encode (obj: Partial<QueueTask>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, QueueTask.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueTask>): QueueTask {
    return decodeMessage(buf, QueueTask.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueTask>): Generator<QueueTaskTaskIdFieldEvent | QueueTaskPayloadFieldEvent | QueueTaskPriorityFieldEvent | QueueTaskEnqueuedAtFieldEvent | QueueTaskAttemptsFieldEvent | QueueTaskTokenFieldEvent | QueueTaskDeadlineFieldEvent | QueueTaskErrorFieldEvent> {
    return streamMessage(buf, QueueTask.codec(), opts)
  }
}

export interface QueueWorkerStats {
  worker: string
  inFlight: number
  done: bigint
}

export namespace QueueWorkerStats {
  let _codec: Codec<QueueWorkerStats>

  export const codec = (): Codec<QueueWorkerStats> => {
    if (_codec == null) {
      _codec = message<QueueWorkerStats>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.worker != null && obj.worker !== '')) {
          w.uint32(10)
          w.string(obj.worker)
        }

        if ((obj.inFlight != null && obj.inFlight !== 0)) {
          w.uint32(16)
          w.uint32(obj.inFlight)
        }

        if ((obj.done != null && obj.done !== 0n)) {
          w.uint32(24)
          w.uint64(obj.done)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          worker: '',
          inFlight: 0,
          done: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.worker = reader.string()
              break
            }
            case 2: {
              obj.inFlight = reader.uint32()
              break
            }
            case 3: {
              obj.done = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.worker`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.inFlight`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.done`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface QueueWorkerStatsWorkerFieldEvent {
    field: '$.worker'
    value: string
  }

  export interface QueueWorkerStatsInFlightFieldEvent {
    field: '$.inFlight'
    value: number
  }

  export interface QueueWorkerStatsDoneFieldEvent {
    field: '$.done'
    value: bigint
  }

  export function encode (obj: Partial<QueueWorkerStats>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, QueueWorkerStats.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueWorkerStats>): QueueWorkerStats {
    return decodeMessage(buf, QueueWorkerStats.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueWorkerStats>): Generator<QueueWorkerStatsWorkerFieldEvent | QueueWorkerStatsInFlightFieldEvent | QueueWorkerStatsDoneFieldEvent> {
    return streamMessage(buf, QueueWorkerStats.codec(), opts)
  }
}

export interface QueueStats {
  settings?: QueueSettings
  ready: bigint
  delayed: bigint
  leased: bigint
  dead: bigint
  enqueued: bigint
  acked: bigint
  workers: QueueWorkerStats[]
  connected: number
  queue: string
}

export namespace QueueStats {
  let _codec: Codec<QueueStats>

  export const codec = (): Codec<QueueStats> => {
    if (_codec == null) {
      _codec = message<QueueStats>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.settings != null) {
          w.uint32(10)
          QueueSettings.codec().encode(obj.settings, w)
        }

        if ((obj.ready != null && obj.ready !== 0n)) {
          w.uint32(16)
          w.uint64(obj.ready)
        }

        if ((obj.delayed != null && obj.delayed !== 0n)) {
          w.uint32(24)
          w.uint64(obj.delayed)
        }

        if ((obj.leased != null && obj.leased !== 0n)) {
          w.uint32(32)
          w.uint64(obj.leased)
        }

        if ((obj.dead != null && obj.dead !== 0n)) {
          w.uint32(40)
          w.uint64(obj.dead)
        }

        if ((obj.enqueued != null && obj.enqueued !== 0n)) {
          w.uint32(48)
          w.uint64(obj.enqueued)
        }

        if ((obj.acked != null && obj.acked !== 0n)) {
          w.uint32(56)
          w.uint64(obj.acked)
        }

        if (obj.workers != null && obj.workers.length > 0) {
          for (const value of obj.workers) {
            w.uint32(66)
            QueueWorkerStats.codec().encode(value, w)
          }
        }

        if ((obj.connected != null && obj.connected !== 0)) {
          w.uint32(72)
          w.uint32(obj.connected)
        }

        if ((obj.queue != null && obj.queue !== '')) {
          w.uint32(82)
          w.string(obj.queue)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ready: 0n,
          delayed: 0n,
          leased: 0n,
          dead: 0n,
          enqueued: 0n,
          acked: 0n,
          workers: [],
          connected: 0,
          queue: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.settings = QueueSettings.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.settings
              })
              break
            }
            case 2: {
              obj.ready = reader.uint64()
              break
            }
            case 3: {
              obj.delayed = reader.uint64()
              break
            }
            case 4: {
              obj.leased = reader.uint64()
              break
            }
            case 5: {
              obj.dead = reader.uint64()
              break
            }
            case 6: {
              obj.enqueued = reader.uint64()
              break
            }
            case 7: {
              obj.acked = reader.uint64()
              break
            }
            case 8: {
              if (opts.limits?.workers != null && obj.workers.length === opts.limits.workers) {
                throw new MaxLengthError('Decode error - repeated field "workers" had too many elements')
              }

              obj.workers.push(QueueWorkerStats.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.workers$
              }))
              break
            }
            case 9: {
              obj.connected = reader.uint32()
              break
            }
            case 10: {
              obj.queue = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          workers: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * QueueSettings.codec().stream(reader, reader.uint32(), `${prefix}.settings`, {
                limits: opts.limits?.settings
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.ready`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.delayed`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.leased`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.dead`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.enqueued`,
                value: reader.uint64()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.acked`,
                value: reader.uint64()
              }
              break
            }
            case 8: {
              if (opts.limits?.workers != null && obj.workers === opts.limits.workers) {
                throw new MaxLengthError('Streaming decode error - repeated field "workers" had too many elements')
              }

              for (const evt of QueueWorkerStats.codec().stream(reader, reader.uint32(), `${prefix}.workers[]`, {
                limits: opts.limits?.workers$
              })) {
                yield {
                  ...evt,
                  index: obj.workers
                }
              }

              obj.workers++

              break
            }
            case 9: {
              yield {
                field: `${prefix}.connected`,
                value: reader.uint32()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.queue`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface QueueStatsSettingsPolicyFieldEvent {
    field: '$.settings.policy'
    value: string
  }

  export interface QueueStatsSettingsMaxAttemptsFieldEvent {
    field: '$.settings.maxAttempts'
    value: number
  }

  export interface QueueStatsSettingsLeaseMsFieldEvent {
    field: '$.settings.leaseMs'
    value: bigint
  }

  export interface QueueStatsSettingsBackoffMsFieldEvent {
    field: '$.settings.backoffMs'
    value: bigint
  }

  export interface QueueStatsSettingsMaxBackoffMsFieldEvent {
    field: '$.settings.maxBackoffMs'
    value: bigint
  }

  export interface QueueStatsReadyFieldEvent {
    field: '$.ready'
    value: bigint
  }

  export interface QueueStatsDelayedFieldEvent {
    field: '$.delayed'
    value: bigint
  }

  export interface QueueStatsLeasedFieldEvent {
    field: '$.leased'
    value: bigint
  }

  export interface QueueStatsDeadFieldEvent {
    field: '$.dead'
    value: bigint
  }

  export interface QueueStatsEnqueuedFieldEvent {
    field: '$.enqueued'
    value: bigint
  }

  export interface QueueStatsAckedFieldEvent {
    field: '$.acked'
    value: bigint
  }

  export interface QueueStatsWorkersWorkerFieldEvent {
    field: '$.workers[].worker'
    value: string
    index: number
  }

  export interface QueueStatsWorkersInFlightFieldEvent {
    field: '$.workers[].inFlight'
    value: number
    index: number
  }

  export interface QueueStatsWorkersDoneFieldEvent {
    field: '$.workers[].done'
    value: bigint
    index: number
  }

  export interface QueueStatsConnectedFieldEvent {
    field: '$.connected'
    value: number
  }

  export interface QueueStatsQueueFieldEvent {
    field: '$.queue'
    value: string
  }

  export function encode (obj: Partial<QueueStats>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, QueueStats.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueStats>): QueueStats {
    return decodeMessage(buf, QueueStats.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueStats>): Generator<QueueStatsSettingsPolicyFieldEvent | QueueStatsSettingsMaxAttemptsFieldEvent | QueueStatsSettingsLeaseMsFieldEvent | QueueStatsSettingsBackoffMsFieldEvent | QueueStatsSettingsMaxBackoffMsFieldEvent | QueueStatsReadyFieldEvent | QueueStatsDelayedFieldEvent | QueueStatsLeasedFieldEvent | QueueStatsDeadFieldEvent | QueueStatsEnqueuedFieldEvent | QueueStatsAckedFieldEvent | QueueStatsWorkersWorkerFieldEvent | QueueStatsWorkersInFlightFieldEvent | QueueStatsWorkersDoneFieldEvent | QueueStatsConnectedFieldEvent | QueueStatsQueueFieldEvent> {
    return streamMessage(buf, QueueStats.codec(), opts)
  }
}

export interface QueueResult {
  taskId: bigint
  duplicate: boolean
  task?: QueueTask
  stats?: QueueStats
  tasks: QueueTask[]
  replayed: number
  home?: PeerInfo
  enqueued: QueueEnqueued[]
}

export namespace QueueResult {
  let _codec: Codec<QueueResult>

  export const codec = (): Codec<QueueResult> => {
    if (_codec == null) {
      _codec = message<QueueResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.taskId != null && obj.taskId !== 0n)) {
          w.uint32(8)
          w.uint64(obj.taskId)
        }

        if ((obj.duplicate != null && obj.duplicate !== false)) {
          w.uint32(16)
          w.bool(obj.duplicate)
        }

        if (obj.task != null) {
          w.uint32(26)
          QueueTask.codec().encode(obj.task, w)
        }

        if (obj.stats != null) {
          w.uint32(34)
          QueueStats.codec().encode(obj.stats, w)
        }

        if (obj.tasks != null && obj.tasks.length > 0) {
          for (const value of obj.tasks) {
            w.uint32(42)
            QueueTask.codec().encode(value, w)
          }
        }

        if ((obj.replayed != null && obj.replayed !== 0)) {
          w.uint32(48)
          w.uint32(obj.replayed)
        }

        if (obj.home != null) {
          w.uint32(58)
          PeerInfo.codec().encode(obj.home, w)
        }

        if (obj.enqueued != null && obj.enqueued.length > 0) {
          for (const value of obj.enqueued) {
            w.uint32(66)
            QueueEnqueued.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          taskId: 0n,
          duplicate: false,
          tasks: [],
          replayed: 0,
          enqueued: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.taskId = reader.uint64()
              break
            }
            case 2: {
              obj.duplicate = reader.bool()
              break
            }
            case 3: {
              obj.task = QueueTask.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.task
              })
              break
            }
            case 4: {
              obj.stats = QueueStats.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.stats
              })
              break
            }
            case 5: {
              if (opts.limits?.tasks != null && obj.tasks.length === opts.limits.tasks) {
                throw new MaxLengthError('Decode error - repeated field "tasks" had too many elements')
              }

              obj.tasks.push(QueueTask.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.tasks$
              }))
              break
            }
            case 6: {
              obj.replayed = reader.uint32()
              break
            }
            case 7: {
              obj.home = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.home
              })
              break
            }
            case 8: {
              if (opts.limits?.enqueued != null && obj.enqueued.length === opts.limits.enqueued) {
                throw new MaxLengthError('Decode error - repeated field "enqueued" had too many elements')
              }

              obj.enqueued.push(QueueEnqueued.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.enqueued$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          tasks: 0,
          enqueued: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.taskId`,
                value: reader.uint64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.duplicate`,
                value: reader.bool()
              }
              break
            }
            case 3: {
              yield * QueueTask.codec().stream(reader, reader.uint32(), `${prefix}.task`, {
                limits: opts.limits?.task
              })

              break
            }
            case 4: {
              yield * QueueStats.codec().stream(reader, reader.uint32(), `${prefix}.stats`, {
                limits: opts.limits?.stats
              })

              break
            }
            case 5: {
              if (opts.limits?.tasks != null && obj.tasks === opts.limits.tasks) {
                throw new MaxLengthError('Streaming decode error - repeated field "tasks" had too many elements')
              }

              for (const evt of QueueTask.codec().stream(reader, reader.uint32(), `${prefix}.tasks[]`, {
                limits: opts.limits?.tasks$
              })) {
                yield {
                  ...evt,
                  index: obj.tasks
                }
              }

              obj.tasks++

              break
            }
            case 6: {
              yield {
                field: `${prefix}.replayed`,
                value: reader.uint32()
              }
              break
            }
            case 7: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.home`, {
                limits: opts.limits?.home
              })

              break
            }
            case 8: {
              if (opts.limits?.enqueued != null && obj.enqueued === opts.limits.enqueued) {
                throw new MaxLengthError('Streaming decode error - repeated field "enqueued" had too many elements')
              }

              for (const evt of QueueEnqueued.codec().stream(reader, reader.uint32(), `${prefix}.enqueued[]`, {
                limits: opts.limits?.enqueued$
              })) {
                yield {
                  ...evt,
                  index: obj.enqueued
                }
              }

              obj.enqueued++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface QueueResultTaskIdFieldEvent {
    field: '$.taskId'
    value: bigint
  }

  export interface QueueResultDuplicateFieldEvent {
    field: '$.duplicate'
    value: boolean
  }

  export interface QueueResultTaskTaskIdFieldEvent {
    field: '$.task.taskId'
    value: bigint
  }

  export interface QueueResultTaskPayloadFieldEvent {
    field: '$.task.payload'
    value: Uint8Array<ArrayBuffer>
  }

  export interface QueueResultTaskPriorityFieldEvent {
    field: '$.task.priority'
    value: number
  }

  export interface QueueResultTaskEnqueuedAtFieldEvent {
    field: '$.task.enqueuedAt'
    value: bigint
  }

  export interface QueueResultTaskAttemptsFieldEvent {
    field: '$.task.attempts'
    value: number
  }

  export interface QueueResultTaskTokenFieldEvent {
    field: '$.task.token'
    value: bigint
  }

  export interface QueueResultTaskDeadlineFieldEvent {
    field: '$.task.deadline'
    value: bigint
  }

  export interface QueueResultTaskErrorFieldEvent {
    field: '$.task.error'
    value: string
  }

  export interface QueueResultStatsSettingsPolicyFieldEvent {
    field: '$.stats.settings.policy'
    value: string
  }

  export interface QueueResultStatsSettingsMaxAttemptsFieldEvent {
    field: '$.stats.settings.maxAttempts'
    value: number
  }

  export interface QueueResultStatsSettingsLeaseMsFieldEvent {
    field: '$.stats.settings.leaseMs'
    value: bigint
  }

  export interface QueueResultStatsSettingsBackoffMsFieldEvent {
    field: '$.stats.settings.backoffMs'
    value: bigint
  }

  export interface QueueResultStatsSettingsMaxBackoffMsFieldEvent {
    field: '$.stats.settings.maxBackoffMs'
    value: bigint
  }

  export interface QueueResultStatsReadyFieldEvent {
    field: '$.stats.ready'
    value: bigint
  }

  export interface QueueResultStatsDelayedFieldEvent {
    field: '$.stats.delayed'
    value: bigint
  }

  export interface QueueResultStatsLeasedFieldEvent {
    field: '$.stats.leased'
    value: bigint
  }

  export interface QueueResultStatsDeadFieldEvent {
    field: '$.stats.dead'
    value: bigint
  }

  export interface QueueResultStatsEnqueuedFieldEvent {
    field: '$.stats.enqueued'
    value: bigint
  }

  export interface QueueResultStatsAckedFieldEvent {
    field: '$.stats.acked'
    value: bigint
  }

  export interface QueueResultStatsWorkersWorkerFieldEvent {
    field: '$.stats.workers[].worker'
    value: string
    index: number
  }

  export interface QueueResultStatsWorkersInFlightFieldEvent {
    field: '$.stats.workers[].inFlight'
    value: number
    index: number
  }

  export interface QueueResultStatsWorkersDoneFieldEvent {
    field: '$.stats.workers[].done'
    value: bigint
    index: number
  }

  export interface QueueResultStatsConnectedFieldEvent {
    field: '$.stats.connected'
    value: number
  }

  export interface QueueResultStatsQueueFieldEvent {
    field: '$.stats.queue'
    value: string
  }

  export interface QueueResultTasksTaskIdFieldEvent {
    field: '$.tasks[].taskId'
    value: bigint
    index: number
  }

  export interface QueueResultTasksPayloadFieldEvent {
    field: '$.tasks[].payload'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface QueueResultTasksPriorityFieldEvent {
    field: '$.tasks[].priority'
    value: number
    index: number
  }

  export interface QueueResultTasksEnqueuedAtFieldEvent {
    field: '$.tasks[].enqueuedAt'
    value: bigint
    index: number
  }

  export interface QueueResultTasksAttemptsFieldEvent {
    field: '$.tasks[].attempts'
    value: number
    index: number
  }

  export interface QueueResultTasksTokenFieldEvent {
    field: '$.tasks[].token'
    value: bigint
    index: number
  }

  export interface QueueResultTasksDeadlineFieldEvent {
    field: '$.tasks[].deadline'
    value: bigint
    index: number
  }

  export interface QueueResultTasksErrorFieldEvent {
    field: '$.tasks[].error'
    value: string
    index: number
  }

  export interface QueueResultReplayedFieldEvent {
    field: '$.replayed'
    value: number
  }

  export interface QueueResultHomePeerIdFieldEvent {
    field: '$.home.peerId'
    value: string
  }

  export interface QueueResultHomeMultiaddrsFieldEvent {
    field: '$.home.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface QueueResultEnqueuedTaskIdFieldEvent {
    field: '$.enqueued[].taskId'
    value: bigint
    index: number
  }

  export interface QueueResultEnqueuedDuplicateFieldEvent {
    field: '$.enqueued[].duplicate'
    value: boolean
    index: number
  }

  export interface QueueResultEnqueuedErrorFieldEvent {
    field: '$.enqueued[].error'
    value: number
    index: number
  }

  export interface QueueResultEnqueuedMessageFieldEvent {
    field: '$.enqueued[].message'
    value: string
    index: number
  }

  export function encode (obj: Partial<QueueResult>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, QueueResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueResult>): QueueResult {
    return decodeMessage(buf, QueueResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueResult>): Generator<QueueResultTaskIdFieldEvent | QueueResultDuplicateFieldEvent | QueueResultTaskTaskIdFieldEvent | QueueResultTaskPayloadFieldEvent | QueueResultTaskPriorityFieldEvent | QueueResultTaskEnqueuedAtFieldEvent | QueueResultTaskAttemptsFieldEvent | QueueResultTaskTokenFieldEvent | QueueResultTaskDeadlineFieldEvent | QueueResultTaskErrorFieldEvent | QueueResultStatsSettingsPolicyFieldEvent | QueueResultStatsSettingsMaxAttemptsFieldEvent | QueueResultStatsSettingsLeaseMsFieldEvent | QueueResultStatsSettingsBackoffMsFieldEvent | QueueResultStatsSettingsMaxBackoffMsFieldEvent | QueueResultStatsReadyFieldEvent | QueueResultStatsDelayedFieldEvent | QueueResultStatsLeasedFieldEvent | QueueResultStatsDeadFieldEvent | QueueResultStatsEnqueuedFieldEvent | QueueResultStatsAckedFieldEvent | QueueResultStatsWorkersWorkerFieldEvent | QueueResultStatsWorkersInFlightFieldEvent | QueueResultStatsWorkersDoneFieldEvent | QueueResultStatsConnectedFieldEvent | QueueResultStatsQueueFieldEvent | QueueResultTasksTaskIdFieldEvent | QueueResultTasksPayloadFieldEvent | QueueResultTasksPriorityFieldEvent | QueueResultTasksEnqueuedAtFieldEvent | QueueResultTasksAttemptsFieldEvent | QueueResultTasksTokenFieldEvent | QueueResultTasksDeadlineFieldEvent | QueueResultTasksErrorFieldEvent | QueueResultReplayedFieldEvent | QueueResultHomePeerIdFieldEvent | QueueResultHomeMultiaddrsFieldEvent | QueueResultEnqueuedTaskIdFieldEvent | QueueResultEnqueuedDuplicateFieldEvent | QueueResultEnqueuedErrorFieldEvent | QueueResultEnqueuedMessageFieldEvent> {
    return streamMessage(buf, QueueResult.codec(), opts)
  }
}

export interface Bully {
  kind: number
  group: string
  term: bigint
}

export namespace Bully {
  let _codec: Codec<Bully>

  export const codec = (): Codec<Bully> => {
    if (_codec == null) {
      _codec = message<Bully>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.kind != null && obj.kind !== 0)) {
          w.uint32(8)
          w.uint32(obj.kind)
        }

        if ((obj.group != null && obj.group !== '')) {
          w.uint32(18)
          w.string(obj.group)
        }

        if ((obj.term != null && obj.term !== 0n)) {
          w.uint32(24)
          w.uint64(obj.term)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          kind: 0,
          group: '',
          term: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.kind = reader.uint32()
              break
            }
            case 2: {
              obj.group = reader.string()
              break
            }
            case 3: {
              obj.term = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.kind`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.group`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.term`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface BullyKindFieldEvent {
    field: '$.kind'
    value: number
  }

  export interface BullyGroupFieldEvent {
    field: '$.group'
    value: string
  }

  export interface BullyTermFieldEvent {
    field: '$.term'
    value: bigint
  }

  export function encode (obj: Partial<Bully>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Bully.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Bully>): Bully {
    return decodeMessage(buf, Bully.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Bully>): Generator<BullyKindFieldEvent | BullyGroupFieldEvent | BullyTermFieldEvent> {
    return streamMessage(buf, Bully.codec(), opts)
  }
}

export interface Ballot {
  counter: bigint
  proposer: string
}

export namespace Ballot {
  let _codec: Codec<Ballot>

  export const codec = (): Codec<Ballot> => {
    if (_codec == null) {
      _codec = message<Ballot>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.counter != null && obj.counter !== 0n)) {
          w.uint32(8)
          w.uint64(obj.counter)
        }

        if ((obj.proposer != null && obj.proposer !== '')) {
          w.uint32(18)
          w.string(obj.proposer)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          counter: 0n,
          proposer: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.counter = reader.uint64()
              break
            }
            case 2: {
              obj.proposer = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.counter`,
                value: reader.uint64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.proposer`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface BallotCounterFieldEvent {
    field: '$.counter'
    value: bigint
  }

  export interface BallotProposerFieldEvent {
    field: '$.proposer'
    value: string
  }

  export function encode (obj: Partial<Ballot>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Ballot.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Ballot>): Ballot {
    return decodeMessage(buf, Ballot.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Ballot>): Generator<BallotCounterFieldEvent | BallotProposerFieldEvent> {
    return streamMessage(buf, Ballot.codec(), opts)
  }
}

export interface RegisterState {
  value?: Uint8Array<ArrayBuffer>
  version: bigint
}

export namespace RegisterState {
  let _codec: Codec<RegisterState>

  export const codec = (): Codec<RegisterState> => {
    if (_codec == null) {
      _codec = message<RegisterState>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.value != null) {
          w.uint32(10)
          w.bytes(obj.value)
        }

        if ((obj.version != null && obj.version !== 0n)) {
          w.uint32(16)
          w.uint64(obj.version)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.value = reader.bytes()
              break
            }
            case 2: {
              obj.version = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.value`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RegisterStateValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RegisterStateVersionFieldEvent {
    field: '$.version'
    value: bigint
  }

  export function encode (obj: Partial<RegisterState>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RegisterState.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RegisterState>): RegisterState {
    return decodeMessage(buf, RegisterState.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RegisterState>): Generator<RegisterStateValueFieldEvent | RegisterStateVersionFieldEvent> {
    return streamMessage(buf, RegisterState.codec(), opts)
  }
}

export interface Paxos {
  kind: number
  ballot?: Ballot
  epoch: bigint
  round: number
  state?: RegisterState
  promiseNext?: Ballot
  accepted?: Ballot
  highest?: Ballot
  code: string
  phase: number
}

export namespace Paxos {
  let _codec: Codec<Paxos>

  export const codec = (): Codec<Paxos> => {
    if (_codec == null) {
      _codec = message<Paxos>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.kind != null && obj.kind !== 0)) {
          w.uint32(8)
          w.uint32(obj.kind)
        }

        if (obj.ballot != null) {
          w.uint32(18)
          Ballot.codec().encode(obj.ballot, w)
        }

        if ((obj.epoch != null && obj.epoch !== 0n)) {
          w.uint32(24)
          w.uint64(obj.epoch)
        }

        if ((obj.round != null && obj.round !== 0)) {
          w.uint32(32)
          w.uint32(obj.round)
        }

        if (obj.state != null) {
          w.uint32(42)
          RegisterState.codec().encode(obj.state, w)
        }

        if (obj.promiseNext != null) {
          w.uint32(50)
          Ballot.codec().encode(obj.promiseNext, w)
        }

        if (obj.accepted != null) {
          w.uint32(58)
          Ballot.codec().encode(obj.accepted, w)
        }

        if (obj.highest != null) {
          w.uint32(66)
          Ballot.codec().encode(obj.highest, w)
        }

        if ((obj.code != null && obj.code !== '')) {
          w.uint32(74)
          w.string(obj.code)
        }

        if ((obj.phase != null && obj.phase !== 0)) {
          w.uint32(80)
          w.uint32(obj.phase)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          kind: 0,
          epoch: 0n,
          round: 0,
          code: '',
          phase: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.kind = reader.uint32()
              break
            }
            case 2: {
              obj.ballot = Ballot.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.ballot
              })
              break
            }
            case 3: {
              obj.epoch = reader.uint64()
              break
            }
            case 4: {
              obj.round = reader.uint32()
              break
            }
            case 5: {
              obj.state = RegisterState.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.state
              })
              break
            }
            case 6: {
              obj.promiseNext = Ballot.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.promiseNext
              })
              break
            }
            case 7: {
              obj.accepted = Ballot.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.accepted
              })
              break
            }
            case 8: {
              obj.highest = Ballot.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.highest
              })
              break
            }
            case 9: {
              obj.code = reader.string()
              break
            }
            case 10: {
              obj.phase = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.kind`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield * Ballot.codec().stream(reader, reader.uint32(), `${prefix}.ballot`, {
                limits: opts.limits?.ballot
              })

              break
            }
            case 3: {
              yield {
                field: `${prefix}.epoch`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.round`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield * RegisterState.codec().stream(reader, reader.uint32(), `${prefix}.state`, {
                limits: opts.limits?.state
              })

              break
            }
            case 6: {
              yield * Ballot.codec().stream(reader, reader.uint32(), `${prefix}.promiseNext`, {
                limits: opts.limits?.promiseNext
              })

              break
            }
            case 7: {
              yield * Ballot.codec().stream(reader, reader.uint32(), `${prefix}.accepted`, {
                limits: opts.limits?.accepted
              })

              break
            }
            case 8: {
              yield * Ballot.codec().stream(reader, reader.uint32(), `${prefix}.highest`, {
                limits: opts.limits?.highest
              })

              break
            }
            case 9: {
              yield {
                field: `${prefix}.code`,
                value: reader.string()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.phase`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PaxosKindFieldEvent {
    field: '$.kind'
    value: number
  }

  export interface PaxosBallotCounterFieldEvent {
    field: '$.ballot.counter'
    value: bigint
  }

  export interface PaxosBallotProposerFieldEvent {
    field: '$.ballot.proposer'
    value: string
  }

  export interface PaxosEpochFieldEvent {
    field: '$.epoch'
    value: bigint
  }

  export interface PaxosRoundFieldEvent {
    field: '$.round'
    value: number
  }

  export interface PaxosStateValueFieldEvent {
    field: '$.state.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PaxosStateVersionFieldEvent {
    field: '$.state.version'
    value: bigint
  }

  export interface PaxosPromiseNextCounterFieldEvent {
    field: '$.promiseNext.counter'
    value: bigint
  }

  export interface PaxosPromiseNextProposerFieldEvent {
    field: '$.promiseNext.proposer'
    value: string
  }

  export interface PaxosAcceptedCounterFieldEvent {
    field: '$.accepted.counter'
    value: bigint
  }

  export interface PaxosAcceptedProposerFieldEvent {
    field: '$.accepted.proposer'
    value: string
  }

  export interface PaxosHighestCounterFieldEvent {
    field: '$.highest.counter'
    value: bigint
  }

  export interface PaxosHighestProposerFieldEvent {
    field: '$.highest.proposer'
    value: string
  }

  export interface PaxosCodeFieldEvent {
    field: '$.code'
    value: string
  }

  export interface PaxosPhaseFieldEvent {
    field: '$.phase'
    value: number
  }

  export function encode (obj: Partial<Paxos>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Paxos.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Paxos>): Paxos {
    return decodeMessage(buf, Paxos.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Paxos>): Generator<PaxosKindFieldEvent | PaxosBallotCounterFieldEvent | PaxosBallotProposerFieldEvent | PaxosEpochFieldEvent | PaxosRoundFieldEvent | PaxosStateValueFieldEvent | PaxosStateVersionFieldEvent | PaxosPromiseNextCounterFieldEvent | PaxosPromiseNextProposerFieldEvent | PaxosAcceptedCounterFieldEvent | PaxosAcceptedProposerFieldEvent | PaxosHighestCounterFieldEvent | PaxosHighestProposerFieldEvent | PaxosCodeFieldEvent | PaxosPhaseFieldEvent> {
    return streamMessage(buf, Paxos.codec(), opts)
  }
}

export interface RegisterOp {
  kind: number
  expected?: Uint8Array<ArrayBuffer>
  next?: Uint8Array<ArrayBuffer>
  holder: string
  ttlMs: bigint
  token: bigint
  fenceLock?: Uint8Array<ArrayBuffer>
  withDecided?: boolean
}

export namespace RegisterOp {
  let _codec: Codec<RegisterOp>

  export const codec = (): Codec<RegisterOp> => {
    if (_codec == null) {
      _codec = message<RegisterOp>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.kind != null && obj.kind !== 0)) {
          w.uint32(8)
          w.uint32(obj.kind)
        }

        if (obj.expected != null) {
          w.uint32(18)
          w.bytes(obj.expected)
        }

        if (obj.next != null) {
          w.uint32(26)
          w.bytes(obj.next)
        }

        if ((obj.holder != null && obj.holder !== '')) {
          w.uint32(34)
          w.string(obj.holder)
        }

        if ((obj.ttlMs != null && obj.ttlMs !== 0n)) {
          w.uint32(40)
          w.uint64(obj.ttlMs)
        }

        if ((obj.token != null && obj.token !== 0n)) {
          w.uint32(48)
          w.uint64(obj.token)
        }

        if (obj.fenceLock != null) {
          w.uint32(58)
          w.bytes(obj.fenceLock)
        }

        if (obj.withDecided != null) {
          w.uint32(64)
          w.bool(obj.withDecided)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          kind: 0,
          holder: '',
          ttlMs: 0n,
          token: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.kind = reader.uint32()
              break
            }
            case 2: {
              obj.expected = reader.bytes()
              break
            }
            case 3: {
              obj.next = reader.bytes()
              break
            }
            case 4: {
              obj.holder = reader.string()
              break
            }
            case 5: {
              obj.ttlMs = reader.uint64()
              break
            }
            case 6: {
              obj.token = reader.uint64()
              break
            }
            case 7: {
              obj.fenceLock = reader.bytes()
              break
            }
            case 8: {
              obj.withDecided = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.kind`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.expected`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.next`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.holder`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.ttlMs`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.token`,
                value: reader.uint64()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.fenceLock`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.withDecided`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RegisterOpKindFieldEvent {
    field: '$.kind'
    value: number
  }

  export interface RegisterOpExpectedFieldEvent {
    field: '$.expected'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RegisterOpNextFieldEvent {
    field: '$.next'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RegisterOpHolderFieldEvent {
    field: '$.holder'
    value: string
  }

  export interface RegisterOpTtlMsFieldEvent {
    field: '$.ttlMs'
    value: bigint
  }

  export interface RegisterOpTokenFieldEvent {
    field: '$.token'
    value: bigint
  }

  export interface RegisterOpFenceLockFieldEvent {
    field: '$.fenceLock'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RegisterOpWithDecidedFieldEvent {
    field: '$.withDecided'
    value: boolean
  }

  export function encode (obj: Partial<RegisterOp>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RegisterOp.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RegisterOp>): RegisterOp {
    return decodeMessage(buf, RegisterOp.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RegisterOp>): Generator<RegisterOpKindFieldEvent | RegisterOpExpectedFieldEvent | RegisterOpNextFieldEvent | RegisterOpHolderFieldEvent | RegisterOpTtlMsFieldEvent | RegisterOpTokenFieldEvent | RegisterOpFenceLockFieldEvent | RegisterOpWithDecidedFieldEvent> {
    return streamMessage(buf, RegisterOp.codec(), opts)
  }
}

export interface RegisterResult {
  succeeded: boolean
  value?: Uint8Array<ArrayBuffer>
  version: bigint
  token: bigint
  leaseMs: bigint
  holder: string
  decidedBallot?: Ballot
  decidedState?: RegisterState
}

export namespace RegisterResult {
  let _codec: Codec<RegisterResult>

  export const codec = (): Codec<RegisterResult> => {
    if (_codec == null) {
      _codec = message<RegisterResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.succeeded != null && obj.succeeded !== false)) {
          w.uint32(8)
          w.bool(obj.succeeded)
        }

        if (obj.value != null) {
          w.uint32(18)
          w.bytes(obj.value)
        }

        if ((obj.version != null && obj.version !== 0n)) {
          w.uint32(24)
          w.uint64(obj.version)
        }

        if ((obj.token != null && obj.token !== 0n)) {
          w.uint32(32)
          w.uint64(obj.token)
        }

        if ((obj.leaseMs != null && obj.leaseMs !== 0n)) {
          w.uint32(40)
          w.uint64(obj.leaseMs)
        }

        if ((obj.holder != null && obj.holder !== '')) {
          w.uint32(50)
          w.string(obj.holder)
        }

        if (obj.decidedBallot != null) {
          w.uint32(58)
          Ballot.codec().encode(obj.decidedBallot, w)
        }

        if (obj.decidedState != null) {
          w.uint32(66)
          RegisterState.codec().encode(obj.decidedState, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          succeeded: false,
          version: 0n,
          token: 0n,
          leaseMs: 0n,
          holder: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.succeeded = reader.bool()
              break
            }
            case 2: {
              obj.value = reader.bytes()
              break
            }
            case 3: {
              obj.version = reader.uint64()
              break
            }
            case 4: {
              obj.token = reader.uint64()
              break
            }
            case 5: {
              obj.leaseMs = reader.uint64()
              break
            }
            case 6: {
              obj.holder = reader.string()
              break
            }
            case 7: {
              obj.decidedBallot = Ballot.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.decidedBallot
              })
              break
            }
            case 8: {
              obj.decidedState = RegisterState.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.decidedState
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.succeeded`,
                value: reader.bool()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.value`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.token`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.leaseMs`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.holder`,
                value: reader.string()
              }
              break
            }
            case 7: {
              yield * Ballot.codec().stream(reader, reader.uint32(), `${prefix}.decidedBallot`, {
                limits: opts.limits?.decidedBallot
              })

              break
            }
            case 8: {
              yield * RegisterState.codec().stream(reader, reader.uint32(), `${prefix}.decidedState`, {
                limits: opts.limits?.decidedState
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RegisterResultSucceededFieldEvent {
    field: '$.succeeded'
    value: boolean
  }

  export interface RegisterResultValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RegisterResultVersionFieldEvent {
    field: '$.version'
    value: bigint
  }

  export interface RegisterResultTokenFieldEvent {
    field: '$.token'
    value: bigint
  }

  export interface RegisterResultLeaseMsFieldEvent {
    field: '$.leaseMs'
    value: bigint
  }

  export interface RegisterResultHolderFieldEvent {
    field: '$.holder'
    value: string
  }

  export interface RegisterResultDecidedBallotCounterFieldEvent {
    field: '$.decidedBallot.counter'
    value: bigint
  }

  export interface RegisterResultDecidedBallotProposerFieldEvent {
    field: '$.decidedBallot.proposer'
    value: string
  }

  export interface RegisterResultDecidedStateValueFieldEvent {
    field: '$.decidedState.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RegisterResultDecidedStateVersionFieldEvent {
    field: '$.decidedState.version'
    value: bigint
  }

  export function encode (obj: Partial<RegisterResult>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RegisterResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RegisterResult>): RegisterResult {
    return decodeMessage(buf, RegisterResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RegisterResult>): Generator<RegisterResultSucceededFieldEvent | RegisterResultValueFieldEvent | RegisterResultVersionFieldEvent | RegisterResultTokenFieldEvent | RegisterResultLeaseMsFieldEvent | RegisterResultHolderFieldEvent | RegisterResultDecidedBallotCounterFieldEvent | RegisterResultDecidedBallotProposerFieldEvent | RegisterResultDecidedStateValueFieldEvent | RegisterResultDecidedStateVersionFieldEvent> {
    return streamMessage(buf, RegisterResult.codec(), opts)
  }
}

export interface RangeDigest {
  start: bigint
  end: bigint
  count: bigint
  hash: string
}

export namespace RangeDigest {
  let _codec: Codec<RangeDigest>

  export const codec = (): Codec<RangeDigest> => {
    if (_codec == null) {
      _codec = message<RangeDigest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.start != null && obj.start !== 0n)) {
          w.uint32(9)
          w.fixed64(obj.start)
        }

        if ((obj.end != null && obj.end !== 0n)) {
          w.uint32(17)
          w.fixed64(obj.end)
        }

        if ((obj.count != null && obj.count !== 0n)) {
          w.uint32(24)
          w.uint64(obj.count)
        }

        if ((obj.hash != null && obj.hash !== '')) {
          w.uint32(34)
          w.string(obj.hash)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          start: 0n,
          end: 0n,
          count: 0n,
          hash: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.start = reader.fixed64()
              break
            }
            case 2: {
              obj.end = reader.fixed64()
              break
            }
            case 3: {
              obj.count = reader.uint64()
              break
            }
            case 4: {
              obj.hash = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.start`,
                value: reader.fixed64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.end`,
                value: reader.fixed64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.count`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.hash`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RangeDigestStartFieldEvent {
    field: '$.start'
    value: bigint
  }

  export interface RangeDigestEndFieldEvent {
    field: '$.end'
    value: bigint
  }

  export interface RangeDigestCountFieldEvent {
    field: '$.count'
    value: bigint
  }

  export interface RangeDigestHashFieldEvent {
    field: '$.hash'
    value: string
  }

  export function encode (obj: Partial<RangeDigest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RangeDigest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RangeDigest>): RangeDigest {
    return decodeMessage(buf, RangeDigest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RangeDigest>): Generator<RangeDigestStartFieldEvent | RangeDigestEndFieldEvent | RangeDigestCountFieldEvent | RangeDigestHashFieldEvent> {
    return streamMessage(buf, RangeDigest.codec(), opts)
  }
}

export interface Status {
  self?: PeerInfo
  predecessor?: PeerInfo
  successors: PeerInfo[]
  fingers: PeerInfo[]
  keyCount: bigint
  rangeStart: bigint
  rangeEnd: bigint
  counters: Map<string, bigint>
  storedCount: bigint
  queues: QueueStats[]
}

export namespace Status {
  export interface Status$countersEntry {
    key: string
    value: bigint
  }

  export namespace Status$countersEntry {
    let _codec: Codec<Status$countersEntry>

    export const codec = (): Codec<Status$countersEntry> => {
      if (_codec == null) {
        _codec = message<Status$countersEntry>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.key != null && obj.key !== '')) {
            w.uint32(10)
            w.string(obj.key)
          }

          if ((obj.value != null && obj.value !== 0n)) {
            w.uint32(16)
            w.uint64(obj.value)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            key: '',
            value: 0n
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.key = reader.string()
                break
              }
              case 2: {
                obj.value = reader.uint64()
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.key`,
                  value: reader.string()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.value`,
                  value: reader.uint64()
                }
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface Status$countersEntryKeyFieldEvent {
      field: '$.key'
      value: string
    }

    export interface Status$countersEntryValueFieldEvent {
      field: '$.value'
      value: bigint
    }

    export function encode (obj: Partial<Status$countersEntry>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, Status$countersEntry.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Status$countersEntry>): Status$countersEntry {
      return decodeMessage(buf, Status$countersEntry.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Status$countersEntry>): Generator<Status$countersEntryKeyFieldEvent | Status$countersEntryValueFieldEvent> {
      return streamMessage(buf, Status$countersEntry.codec(), opts)
    }
  }

  let _codec: Codec<Status>

  export const codec = (): Codec<Status> => {
    if (_codec == null) {
      _codec = message<Status>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.self != null) {
          w.uint32(10)
          PeerInfo.codec().encode(obj.self, w)
        }

        if (obj.predecessor != null) {
          w.uint32(18)
          PeerInfo.codec().encode(obj.predecessor, w)
        }

        if (obj.successors != null && obj.successors.length > 0) {
          for (const value of obj.successors) {
            w.uint32(26)
            PeerInfo.codec().encode(value, w)
          }
        }

        if (obj.fingers != null && obj.fingers.length > 0) {
          for (const value of obj.fingers) {
            w.uint32(34)
            PeerInfo.codec().encode(value, w)
          }
        }

        if ((obj.keyCount != null && obj.keyCount !== 0n)) {
          w.uint32(40)
          w.uint64(obj.keyCount)
        }

        if ((obj.rangeStart != null && obj.rangeStart !== 0n)) {
          w.uint32(49)
          w.fixed64(obj.rangeStart)
        }

        if ((obj.rangeEnd != null && obj.rangeEnd !== 0n)) {
          w.uint32(57)
          w.fixed64(obj.rangeEnd)
        }

        if (obj.counters != null && obj.counters.size > 0) {
          for (const [key, value] of obj.counters.entries()) {
            w.uint32(66)
            Status.Status$countersEntry.codec().encode({ key, value }, w)
          }
        }

        if ((obj.storedCount != null && obj.storedCount !== 0n)) {
          w.uint32(72)
          w.uint64(obj.storedCount)
        }

        if (obj.queues != null && obj.queues.length > 0) {
          for (const value of obj.queues) {
            w.uint32(82)
            QueueStats.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          successors: [],
          fingers: [],
          keyCount: 0n,
          rangeStart: 0n,
          rangeEnd: 0n,
          counters: new Map<string, bigint>(),
          storedCount: 0n,
          queues: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.self = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.self
              })
              break
            }
            case 2: {
              obj.predecessor = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.predecessor
              })
              break
            }
            case 3: {
              if (opts.limits?.successors != null && obj.successors.length === opts.limits.successors) {
                throw new MaxLengthError('Decode error - repeated field "successors" had too many elements')
              }

              obj.successors.push(PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.successors$
              }))
              break
            }
            case 4: {
              if (opts.limits?.fingers != null && obj.fingers.length === opts.limits.fingers) {
                throw new MaxLengthError('Decode error - repeated field "fingers" had too many elements')
              }

              obj.fingers.push(PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.fingers$
              }))
              break
            }
            case 5: {
              obj.keyCount = reader.uint64()
              break
            }
            case 6: {
              obj.rangeStart = reader.fixed64()
              break
            }
            case 7: {
              obj.rangeEnd = reader.fixed64()
              break
            }
            case 8: {
              if (opts.limits?.counters != null && obj.counters.size === opts.limits.counters) {
                throw new MaxSizeError('Decode error - map field "counters" had too many elements')
              }

              const entry = Status.Status$countersEntry.codec().decode(reader, reader.uint32(), {
                limits: {
                  value: opts.limits?.counters$value
                }
              })
              obj.counters.set(entry.key, entry.value)
              break
            }
            case 9: {
              obj.storedCount = reader.uint64()
              break
            }
            case 10: {
              if (opts.limits?.queues != null && obj.queues.length === opts.limits.queues) {
                throw new MaxLengthError('Decode error - repeated field "queues" had too many elements')
              }

              obj.queues.push(QueueStats.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.queues$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          successors: 0,
          fingers: 0,
          counters: 0,
          queues: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.self`, {
                limits: opts.limits?.self
              })

              break
            }
            case 2: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.predecessor`, {
                limits: opts.limits?.predecessor
              })

              break
            }
            case 3: {
              if (opts.limits?.successors != null && obj.successors === opts.limits.successors) {
                throw new MaxLengthError('Streaming decode error - repeated field "successors" had too many elements')
              }

              for (const evt of PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.successors[]`, {
                limits: opts.limits?.successors$
              })) {
                yield {
                  ...evt,
                  index: obj.successors
                }
              }

              obj.successors++

              break
            }
            case 4: {
              if (opts.limits?.fingers != null && obj.fingers === opts.limits.fingers) {
                throw new MaxLengthError('Streaming decode error - repeated field "fingers" had too many elements')
              }

              for (const evt of PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.fingers[]`, {
                limits: opts.limits?.fingers$
              })) {
                yield {
                  ...evt,
                  index: obj.fingers
                }
              }

              obj.fingers++

              break
            }
            case 5: {
              yield {
                field: `${prefix}.keyCount`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.rangeStart`,
                value: reader.fixed64()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.rangeEnd`,
                value: reader.fixed64()
              }
              break
            }
            case 8: {
              if (opts.limits?.counters != null && obj.counters === opts.limits.counters) {
                throw new MaxLengthError('Decode error - map field "counters" had too many elements')
              }

              yield * Status.Status$countersEntry.codec().stream(reader, reader.uint32(), `${prefix}.counters{}`, {
                limits: {
                  value: opts.limits?.counters$value
                }
              })

              obj.counters++

              break
            }
            case 9: {
              yield {
                field: `${prefix}.storedCount`,
                value: reader.uint64()
              }
              break
            }
            case 10: {
              if (opts.limits?.queues != null && obj.queues === opts.limits.queues) {
                throw new MaxLengthError('Streaming decode error - repeated field "queues" had too many elements')
              }

              for (const evt of QueueStats.codec().stream(reader, reader.uint32(), `${prefix}.queues[]`, {
                limits: opts.limits?.queues$
              })) {
                yield {
                  ...evt,
                  index: obj.queues
                }
              }

              obj.queues++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface StatusSelfPeerIdFieldEvent {
    field: '$.self.peerId'
    value: string
  }

  export interface StatusSelfMultiaddrsFieldEvent {
    field: '$.self.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface StatusPredecessorPeerIdFieldEvent {
    field: '$.predecessor.peerId'
    value: string
  }

  export interface StatusPredecessorMultiaddrsFieldEvent {
    field: '$.predecessor.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface StatusSuccessorsPeerIdFieldEvent {
    field: '$.successors[].peerId'
    value: string
    index: number
  }

  export interface StatusSuccessorsMultiaddrsFieldEvent {
    field: '$.successors[].multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface StatusFingersPeerIdFieldEvent {
    field: '$.fingers[].peerId'
    value: string
    index: number
  }

  export interface StatusFingersMultiaddrsFieldEvent {
    field: '$.fingers[].multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface StatusKeyCountFieldEvent {
    field: '$.keyCount'
    value: bigint
  }

  export interface StatusRangeStartFieldEvent {
    field: '$.rangeStart'
    value: bigint
  }

  export interface StatusRangeEndFieldEvent {
    field: '$.rangeEnd'
    value: bigint
  }

  export interface StatusCountersFieldEvent {
    field: '$.counters{}'
    key: string
    value: bigint
  }

  export interface StatusStoredCountFieldEvent {
    field: '$.storedCount'
    value: bigint
  }

  export interface StatusQueuesSettingsPolicyFieldEvent {
    field: '$.queues[].settings.policy'
    value: string
    index: number
  }

  export interface StatusQueuesSettingsMaxAttemptsFieldEvent {
    field: '$.queues[].settings.maxAttempts'
    value: number
    index: number
  }

  export interface StatusQueuesSettingsLeaseMsFieldEvent {
    field: '$.queues[].settings.leaseMs'
    value: bigint
    index: number
  }

  export interface StatusQueuesSettingsBackoffMsFieldEvent {
    field: '$.queues[].settings.backoffMs'
    value: bigint
    index: number
  }

  export interface StatusQueuesSettingsMaxBackoffMsFieldEvent {
    field: '$.queues[].settings.maxBackoffMs'
    value: bigint
    index: number
  }

  export interface StatusQueuesReadyFieldEvent {
    field: '$.queues[].ready'
    value: bigint
    index: number
  }

  export interface StatusQueuesDelayedFieldEvent {
    field: '$.queues[].delayed'
    value: bigint
    index: number
  }

  export interface StatusQueuesLeasedFieldEvent {
    field: '$.queues[].leased'
    value: bigint
    index: number
  }

  export interface StatusQueuesDeadFieldEvent {
    field: '$.queues[].dead'
    value: bigint
    index: number
  }

  export interface StatusQueuesEnqueuedFieldEvent {
    field: '$.queues[].enqueued'
    value: bigint
    index: number
  }

  export interface StatusQueuesAckedFieldEvent {
    field: '$.queues[].acked'
    value: bigint
    index: number
  }

  export interface StatusQueuesWorkersWorkerFieldEvent {
    field: '$.queues[].workers[].worker'
    value: string
    index: number
  }

  export interface StatusQueuesWorkersInFlightFieldEvent {
    field: '$.queues[].workers[].inFlight'
    value: number
    index: number
  }

  export interface StatusQueuesWorkersDoneFieldEvent {
    field: '$.queues[].workers[].done'
    value: bigint
    index: number
  }

  export interface StatusQueuesConnectedFieldEvent {
    field: '$.queues[].connected'
    value: number
    index: number
  }

  export interface StatusQueuesQueueFieldEvent {
    field: '$.queues[].queue'
    value: string
    index: number
  }

  export function encode (obj: Partial<Status>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Status.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Status>): Status {
    return decodeMessage(buf, Status.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Status>): Generator<StatusSelfPeerIdFieldEvent | StatusSelfMultiaddrsFieldEvent | StatusPredecessorPeerIdFieldEvent | StatusPredecessorMultiaddrsFieldEvent | StatusSuccessorsPeerIdFieldEvent | StatusSuccessorsMultiaddrsFieldEvent | StatusFingersPeerIdFieldEvent | StatusFingersMultiaddrsFieldEvent | StatusKeyCountFieldEvent | StatusRangeStartFieldEvent | StatusRangeEndFieldEvent | StatusCountersFieldEvent | StatusStoredCountFieldEvent | StatusQueuesSettingsPolicyFieldEvent | StatusQueuesSettingsMaxAttemptsFieldEvent | StatusQueuesSettingsLeaseMsFieldEvent | StatusQueuesSettingsBackoffMsFieldEvent | StatusQueuesSettingsMaxBackoffMsFieldEvent | StatusQueuesReadyFieldEvent | StatusQueuesDelayedFieldEvent | StatusQueuesLeasedFieldEvent | StatusQueuesDeadFieldEvent | StatusQueuesEnqueuedFieldEvent | StatusQueuesAckedFieldEvent | StatusQueuesWorkersWorkerFieldEvent | StatusQueuesWorkersInFlightFieldEvent | StatusQueuesWorkersDoneFieldEvent | StatusQueuesConnectedFieldEvent | StatusQueuesQueueFieldEvent> {
    return streamMessage(buf, Status.codec(), opts)
  }
}

export interface Response {
  id: number
  error: number
  message: string
  hops: number
  path: string[]
  record?: Record
  peer?: PeerInfo
  peers: PeerInfo[]
  records: Record[]
  done: boolean
  status?: Status
  replicas: number
  digests: RangeDigest[]
  applied: number
  paxos?: Paxos
  registerResult?: RegisterResult
  bully?: Bully
  servedBy?: PeerInfo
  ownerAfter?: bigint
  logState?: LogState
  topicResult?: TopicResult
  queueResult?: QueueResult
}

export namespace Response {
  let _codec: Codec<Response>

  export const codec = (): Codec<Response> => {
    if (_codec == null) {
      _codec = message<Response>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== 0)) {
          w.uint32(8)
          w.uint32(obj.id)
        }

        if ((obj.error != null && obj.error !== 0)) {
          w.uint32(16)
          w.uint32(obj.error)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(26)
          w.string(obj.message)
        }

        if ((obj.hops != null && obj.hops !== 0)) {
          w.uint32(32)
          w.uint32(obj.hops)
        }

        if (obj.path != null && obj.path.length > 0) {
          for (const value of obj.path) {
            w.uint32(42)
            w.string(value)
          }
        }

        if (obj.record != null) {
          w.uint32(82)
          Record.codec().encode(obj.record, w)
        }

        if (obj.peer != null) {
          w.uint32(90)
          PeerInfo.codec().encode(obj.peer, w)
        }

        if (obj.peers != null && obj.peers.length > 0) {
          for (const value of obj.peers) {
            w.uint32(98)
            PeerInfo.codec().encode(value, w)
          }
        }

        if (obj.records != null && obj.records.length > 0) {
          for (const value of obj.records) {
            w.uint32(106)
            Record.codec().encode(value, w)
          }
        }

        if ((obj.done != null && obj.done !== false)) {
          w.uint32(112)
          w.bool(obj.done)
        }

        if (obj.status != null) {
          w.uint32(122)
          Status.codec().encode(obj.status, w)
        }

        if ((obj.replicas != null && obj.replicas !== 0)) {
          w.uint32(128)
          w.uint32(obj.replicas)
        }

        if (obj.digests != null && obj.digests.length > 0) {
          for (const value of obj.digests) {
            w.uint32(138)
            RangeDigest.codec().encode(value, w)
          }
        }

        if ((obj.applied != null && obj.applied !== 0)) {
          w.uint32(144)
          w.uint32(obj.applied)
        }

        if (obj.paxos != null) {
          w.uint32(154)
          Paxos.codec().encode(obj.paxos, w)
        }

        if (obj.registerResult != null) {
          w.uint32(162)
          RegisterResult.codec().encode(obj.registerResult, w)
        }

        if (obj.bully != null) {
          w.uint32(170)
          Bully.codec().encode(obj.bully, w)
        }

        if (obj.servedBy != null) {
          w.uint32(178)
          PeerInfo.codec().encode(obj.servedBy, w)
        }

        if (obj.ownerAfter != null) {
          w.uint32(185)
          w.fixed64(obj.ownerAfter)
        }

        if (obj.logState != null) {
          w.uint32(242)
          LogState.codec().encode(obj.logState, w)
        }

        if (obj.topicResult != null) {
          w.uint32(250)
          TopicResult.codec().encode(obj.topicResult, w)
        }

        if (obj.queueResult != null) {
          w.uint32(322)
          QueueResult.codec().encode(obj.queueResult, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: 0,
          error: 0,
          message: '',
          hops: 0,
          path: [],
          peers: [],
          records: [],
          done: false,
          replicas: 0,
          digests: [],
          applied: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.uint32()
              break
            }
            case 2: {
              obj.error = reader.uint32()
              break
            }
            case 3: {
              obj.message = reader.string()
              break
            }
            case 4: {
              obj.hops = reader.uint32()
              break
            }
            case 5: {
              if (opts.limits?.path != null && obj.path.length === opts.limits.path) {
                throw new MaxLengthError('Decode error - repeated field "path" had too many elements')
              }

              obj.path.push(reader.string())
              break
            }
            case 10: {
              obj.record = Record.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.record
              })
              break
            }
            case 11: {
              obj.peer = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.peer
              })
              break
            }
            case 12: {
              if (opts.limits?.peers != null && obj.peers.length === opts.limits.peers) {
                throw new MaxLengthError('Decode error - repeated field "peers" had too many elements')
              }

              obj.peers.push(PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.peers$
              }))
              break
            }
            case 13: {
              if (opts.limits?.records != null && obj.records.length === opts.limits.records) {
                throw new MaxLengthError('Decode error - repeated field "records" had too many elements')
              }

              obj.records.push(Record.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.records$
              }))
              break
            }
            case 14: {
              obj.done = reader.bool()
              break
            }
            case 15: {
              obj.status = Status.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.status
              })
              break
            }
            case 16: {
              obj.replicas = reader.uint32()
              break
            }
            case 17: {
              if (opts.limits?.digests != null && obj.digests.length === opts.limits.digests) {
                throw new MaxLengthError('Decode error - repeated field "digests" had too many elements')
              }

              obj.digests.push(RangeDigest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.digests$
              }))
              break
            }
            case 18: {
              obj.applied = reader.uint32()
              break
            }
            case 19: {
              obj.paxos = Paxos.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.paxos
              })
              break
            }
            case 20: {
              obj.registerResult = RegisterResult.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.registerResult
              })
              break
            }
            case 21: {
              obj.bully = Bully.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.bully
              })
              break
            }
            case 22: {
              obj.servedBy = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.servedBy
              })
              break
            }
            case 23: {
              obj.ownerAfter = reader.fixed64()
              break
            }
            case 30: {
              obj.logState = LogState.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.logState
              })
              break
            }
            case 31: {
              obj.topicResult = TopicResult.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.topicResult
              })
              break
            }
            case 40: {
              obj.queueResult = QueueResult.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.queueResult
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          path: 0,
          peers: 0,
          records: 0,
          digests: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.error`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.message`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.hops`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              if (opts.limits?.path != null && obj.path === opts.limits.path) {
                throw new MaxLengthError('Streaming decode error - repeated field "path" had too many elements')
              }

              yield {
                field: `${prefix}.path[]`,
                index: obj.path,
                value: reader.string()
              }

              obj.path++

              break
            }
            case 10: {
              yield * Record.codec().stream(reader, reader.uint32(), `${prefix}.record`, {
                limits: opts.limits?.record
              })

              break
            }
            case 11: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.peer`, {
                limits: opts.limits?.peer
              })

              break
            }
            case 12: {
              if (opts.limits?.peers != null && obj.peers === opts.limits.peers) {
                throw new MaxLengthError('Streaming decode error - repeated field "peers" had too many elements')
              }

              for (const evt of PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.peers[]`, {
                limits: opts.limits?.peers$
              })) {
                yield {
                  ...evt,
                  index: obj.peers
                }
              }

              obj.peers++

              break
            }
            case 13: {
              if (opts.limits?.records != null && obj.records === opts.limits.records) {
                throw new MaxLengthError('Streaming decode error - repeated field "records" had too many elements')
              }

              for (const evt of Record.codec().stream(reader, reader.uint32(), `${prefix}.records[]`, {
                limits: opts.limits?.records$
              })) {
                yield {
                  ...evt,
                  index: obj.records
                }
              }

              obj.records++

              break
            }
            case 14: {
              yield {
                field: `${prefix}.done`,
                value: reader.bool()
              }
              break
            }
            case 15: {
              yield * Status.codec().stream(reader, reader.uint32(), `${prefix}.status`, {
                limits: opts.limits?.status
              })

              break
            }
            case 16: {
              yield {
                field: `${prefix}.replicas`,
                value: reader.uint32()
              }
              break
            }
            case 17: {
              if (opts.limits?.digests != null && obj.digests === opts.limits.digests) {
                throw new MaxLengthError('Streaming decode error - repeated field "digests" had too many elements')
              }

              for (const evt of RangeDigest.codec().stream(reader, reader.uint32(), `${prefix}.digests[]`, {
                limits: opts.limits?.digests$
              })) {
                yield {
                  ...evt,
                  index: obj.digests
                }
              }

              obj.digests++

              break
            }
            case 18: {
              yield {
                field: `${prefix}.applied`,
                value: reader.uint32()
              }
              break
            }
            case 19: {
              yield * Paxos.codec().stream(reader, reader.uint32(), `${prefix}.paxos`, {
                limits: opts.limits?.paxos
              })

              break
            }
            case 20: {
              yield * RegisterResult.codec().stream(reader, reader.uint32(), `${prefix}.registerResult`, {
                limits: opts.limits?.registerResult
              })

              break
            }
            case 21: {
              yield * Bully.codec().stream(reader, reader.uint32(), `${prefix}.bully`, {
                limits: opts.limits?.bully
              })

              break
            }
            case 22: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.servedBy`, {
                limits: opts.limits?.servedBy
              })

              break
            }
            case 23: {
              yield {
                field: `${prefix}.ownerAfter`,
                value: reader.fixed64()
              }
              break
            }
            case 30: {
              yield * LogState.codec().stream(reader, reader.uint32(), `${prefix}.logState`, {
                limits: opts.limits?.logState
              })

              break
            }
            case 31: {
              yield * TopicResult.codec().stream(reader, reader.uint32(), `${prefix}.topicResult`, {
                limits: opts.limits?.topicResult
              })

              break
            }
            case 40: {
              yield * QueueResult.codec().stream(reader, reader.uint32(), `${prefix}.queueResult`, {
                limits: opts.limits?.queueResult
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ResponseIdFieldEvent {
    field: '$.id'
    value: number
  }

  export interface ResponseErrorFieldEvent {
    field: '$.error'
    value: number
  }

  export interface ResponseMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export interface ResponseHopsFieldEvent {
    field: '$.hops'
    value: number
  }

  export interface ResponsePathFieldEvent {
    field: '$.path[]'
    index: number
    value: string
  }

  export interface ResponseRecordKeyFieldEvent {
    field: '$.record.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseRecordValueFieldEvent {
    field: '$.record.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseRecordVersionTimestampFieldEvent {
    field: '$.record.version.timestamp'
    value: bigint
  }

  export interface ResponseRecordVersionWriterFieldEvent {
    field: '$.record.version.writer'
    value: bigint
  }

  export interface ResponseRecordExpiresAtFieldEvent {
    field: '$.record.expiresAt'
    value: bigint
  }

  export interface ResponsePeerPeerIdFieldEvent {
    field: '$.peer.peerId'
    value: string
  }

  export interface ResponsePeerMultiaddrsFieldEvent {
    field: '$.peer.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponsePeersPeerIdFieldEvent {
    field: '$.peers[].peerId'
    value: string
    index: number
  }

  export interface ResponsePeersMultiaddrsFieldEvent {
    field: '$.peers[].multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseRecordsKeyFieldEvent {
    field: '$.records[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseRecordsValueFieldEvent {
    field: '$.records[].value'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseRecordsVersionTimestampFieldEvent {
    field: '$.records[].version.timestamp'
    value: bigint
    index: number
  }

  export interface ResponseRecordsVersionWriterFieldEvent {
    field: '$.records[].version.writer'
    value: bigint
    index: number
  }

  export interface ResponseRecordsExpiresAtFieldEvent {
    field: '$.records[].expiresAt'
    value: bigint
    index: number
  }

  export interface ResponseDoneFieldEvent {
    field: '$.done'
    value: boolean
  }

  export interface ResponseStatusSelfPeerIdFieldEvent {
    field: '$.status.self.peerId'
    value: string
  }

  export interface ResponseStatusSelfMultiaddrsFieldEvent {
    field: '$.status.self.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseStatusPredecessorPeerIdFieldEvent {
    field: '$.status.predecessor.peerId'
    value: string
  }

  export interface ResponseStatusPredecessorMultiaddrsFieldEvent {
    field: '$.status.predecessor.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseStatusSuccessorsPeerIdFieldEvent {
    field: '$.status.successors[].peerId'
    value: string
    index: number
  }

  export interface ResponseStatusSuccessorsMultiaddrsFieldEvent {
    field: '$.status.successors[].multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseStatusFingersPeerIdFieldEvent {
    field: '$.status.fingers[].peerId'
    value: string
    index: number
  }

  export interface ResponseStatusFingersMultiaddrsFieldEvent {
    field: '$.status.fingers[].multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseStatusKeyCountFieldEvent {
    field: '$.status.keyCount'
    value: bigint
  }

  export interface ResponseStatusRangeStartFieldEvent {
    field: '$.status.rangeStart'
    value: bigint
  }

  export interface ResponseStatusRangeEndFieldEvent {
    field: '$.status.rangeEnd'
    value: bigint
  }

  export interface ResponseStatusCountersFieldEvent {
    field: '$.status.counters{}'
    key: string
    value: bigint
  }

  export interface ResponseStatusStoredCountFieldEvent {
    field: '$.status.storedCount'
    value: bigint
  }

  export interface ResponseStatusQueuesSettingsPolicyFieldEvent {
    field: '$.status.queues[].settings.policy'
    value: string
    index: number
  }

  export interface ResponseStatusQueuesSettingsMaxAttemptsFieldEvent {
    field: '$.status.queues[].settings.maxAttempts'
    value: number
    index: number
  }

  export interface ResponseStatusQueuesSettingsLeaseMsFieldEvent {
    field: '$.status.queues[].settings.leaseMs'
    value: bigint
    index: number
  }

  export interface ResponseStatusQueuesSettingsBackoffMsFieldEvent {
    field: '$.status.queues[].settings.backoffMs'
    value: bigint
    index: number
  }

  export interface ResponseStatusQueuesSettingsMaxBackoffMsFieldEvent {
    field: '$.status.queues[].settings.maxBackoffMs'
    value: bigint
    index: number
  }

  export interface ResponseStatusQueuesReadyFieldEvent {
    field: '$.status.queues[].ready'
    value: bigint
    index: number
  }

  export interface ResponseStatusQueuesDelayedFieldEvent {
    field: '$.status.queues[].delayed'
    value: bigint
    index: number
  }

  export interface ResponseStatusQueuesLeasedFieldEvent {
    field: '$.status.queues[].leased'
    value: bigint
    index: number
  }

  export interface ResponseStatusQueuesDeadFieldEvent {
    field: '$.status.queues[].dead'
    value: bigint
    index: number
  }

  export interface ResponseStatusQueuesEnqueuedFieldEvent {
    field: '$.status.queues[].enqueued'
    value: bigint
    index: number
  }

  export interface ResponseStatusQueuesAckedFieldEvent {
    field: '$.status.queues[].acked'
    value: bigint
    index: number
  }

  export interface ResponseStatusQueuesWorkersWorkerFieldEvent {
    field: '$.status.queues[].workers[].worker'
    value: string
    index: number
  }

  export interface ResponseStatusQueuesWorkersInFlightFieldEvent {
    field: '$.status.queues[].workers[].inFlight'
    value: number
    index: number
  }

  export interface ResponseStatusQueuesWorkersDoneFieldEvent {
    field: '$.status.queues[].workers[].done'
    value: bigint
    index: number
  }

  export interface ResponseStatusQueuesConnectedFieldEvent {
    field: '$.status.queues[].connected'
    value: number
    index: number
  }

  export interface ResponseStatusQueuesQueueFieldEvent {
    field: '$.status.queues[].queue'
    value: string
    index: number
  }

  export interface ResponseReplicasFieldEvent {
    field: '$.replicas'
    value: number
  }

  export interface ResponseDigestsStartFieldEvent {
    field: '$.digests[].start'
    value: bigint
    index: number
  }

  export interface ResponseDigestsEndFieldEvent {
    field: '$.digests[].end'
    value: bigint
    index: number
  }

  export interface ResponseDigestsCountFieldEvent {
    field: '$.digests[].count'
    value: bigint
    index: number
  }

  export interface ResponseDigestsHashFieldEvent {
    field: '$.digests[].hash'
    value: string
    index: number
  }

  export interface ResponseAppliedFieldEvent {
    field: '$.applied'
    value: number
  }

  export interface ResponsePaxosKindFieldEvent {
    field: '$.paxos.kind'
    value: number
  }

  export interface ResponsePaxosBallotCounterFieldEvent {
    field: '$.paxos.ballot.counter'
    value: bigint
  }

  export interface ResponsePaxosBallotProposerFieldEvent {
    field: '$.paxos.ballot.proposer'
    value: string
  }

  export interface ResponsePaxosEpochFieldEvent {
    field: '$.paxos.epoch'
    value: bigint
  }

  export interface ResponsePaxosRoundFieldEvent {
    field: '$.paxos.round'
    value: number
  }

  export interface ResponsePaxosStateValueFieldEvent {
    field: '$.paxos.state.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponsePaxosStateVersionFieldEvent {
    field: '$.paxos.state.version'
    value: bigint
  }

  export interface ResponsePaxosPromiseNextCounterFieldEvent {
    field: '$.paxos.promiseNext.counter'
    value: bigint
  }

  export interface ResponsePaxosPromiseNextProposerFieldEvent {
    field: '$.paxos.promiseNext.proposer'
    value: string
  }

  export interface ResponsePaxosAcceptedCounterFieldEvent {
    field: '$.paxos.accepted.counter'
    value: bigint
  }

  export interface ResponsePaxosAcceptedProposerFieldEvent {
    field: '$.paxos.accepted.proposer'
    value: string
  }

  export interface ResponsePaxosHighestCounterFieldEvent {
    field: '$.paxos.highest.counter'
    value: bigint
  }

  export interface ResponsePaxosHighestProposerFieldEvent {
    field: '$.paxos.highest.proposer'
    value: string
  }

  export interface ResponsePaxosCodeFieldEvent {
    field: '$.paxos.code'
    value: string
  }

  export interface ResponsePaxosPhaseFieldEvent {
    field: '$.paxos.phase'
    value: number
  }

  export interface ResponseRegisterResultSucceededFieldEvent {
    field: '$.registerResult.succeeded'
    value: boolean
  }

  export interface ResponseRegisterResultValueFieldEvent {
    field: '$.registerResult.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseRegisterResultVersionFieldEvent {
    field: '$.registerResult.version'
    value: bigint
  }

  export interface ResponseRegisterResultTokenFieldEvent {
    field: '$.registerResult.token'
    value: bigint
  }

  export interface ResponseRegisterResultLeaseMsFieldEvent {
    field: '$.registerResult.leaseMs'
    value: bigint
  }

  export interface ResponseRegisterResultHolderFieldEvent {
    field: '$.registerResult.holder'
    value: string
  }

  export interface ResponseRegisterResultDecidedBallotCounterFieldEvent {
    field: '$.registerResult.decidedBallot.counter'
    value: bigint
  }

  export interface ResponseRegisterResultDecidedBallotProposerFieldEvent {
    field: '$.registerResult.decidedBallot.proposer'
    value: string
  }

  export interface ResponseRegisterResultDecidedStateValueFieldEvent {
    field: '$.registerResult.decidedState.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseRegisterResultDecidedStateVersionFieldEvent {
    field: '$.registerResult.decidedState.version'
    value: bigint
  }

  export interface ResponseBullyKindFieldEvent {
    field: '$.bully.kind'
    value: number
  }

  export interface ResponseBullyGroupFieldEvent {
    field: '$.bully.group'
    value: string
  }

  export interface ResponseBullyTermFieldEvent {
    field: '$.bully.term'
    value: bigint
  }

  export interface ResponseServedByPeerIdFieldEvent {
    field: '$.servedBy.peerId'
    value: string
  }

  export interface ResponseServedByMultiaddrsFieldEvent {
    field: '$.servedBy.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseOwnerAfterFieldEvent {
    field: '$.ownerAfter'
    value: bigint
  }

  export interface ResponseLogStatePromisedFieldEvent {
    field: '$.logState.promised'
    value: bigint
  }

  export interface ResponseLogStateFirstSeqFieldEvent {
    field: '$.logState.firstSeq'
    value: bigint
  }

  export interface ResponseLogStateLastSeqFieldEvent {
    field: '$.logState.lastSeq'
    value: bigint
  }

  export interface ResponseLogStateLastEpochFieldEvent {
    field: '$.logState.lastEpoch'
    value: bigint
  }

  export interface ResponseLogStateCommitFieldEvent {
    field: '$.logState.commit'
    value: bigint
  }

  export interface ResponseLogStateMatchedFieldEvent {
    field: '$.logState.matched'
    value: boolean
  }

  export interface ResponseLogStateEntriesSeqFieldEvent {
    field: '$.logState.entries[].seq'
    value: bigint
    index: number
  }

  export interface ResponseLogStateEntriesEpochFieldEvent {
    field: '$.logState.entries[].epoch'
    value: bigint
    index: number
  }

  export interface ResponseLogStateEntriesPublishedAtFieldEvent {
    field: '$.logState.entries[].publishedAt'
    value: bigint
    index: number
  }

  export interface ResponseLogStateEntriesDataFieldEvent {
    field: '$.logState.entries[].data'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseTopicResultSeqFieldEvent {
    field: '$.topicResult.seq'
    value: bigint
  }

  export interface ResponseTopicResultEntriesSeqFieldEvent {
    field: '$.topicResult.entries[].seq'
    value: bigint
    index: number
  }

  export interface ResponseTopicResultEntriesEpochFieldEvent {
    field: '$.topicResult.entries[].epoch'
    value: bigint
    index: number
  }

  export interface ResponseTopicResultEntriesPublishedAtFieldEvent {
    field: '$.topicResult.entries[].publishedAt'
    value: bigint
    index: number
  }

  export interface ResponseTopicResultEntriesDataFieldEvent {
    field: '$.topicResult.entries[].data'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseTopicResultLastSeqFieldEvent {
    field: '$.topicResult.lastSeq'
    value: bigint
  }

  export interface ResponseTopicResultFirstSeqFieldEvent {
    field: '$.topicResult.firstSeq'
    value: bigint
  }

  export interface ResponseTopicResultRetentionMaxEntriesFieldEvent {
    field: '$.topicResult.retention.maxEntries'
    value: bigint
  }

  export interface ResponseTopicResultRetentionMaxAgeMsFieldEvent {
    field: '$.topicResult.retention.maxAgeMs'
    value: bigint
  }

  export interface ResponseTopicResultUseRelayFieldEvent {
    field: '$.topicResult.useRelay'
    value: boolean
  }

  export interface ResponseQueueResultTaskIdFieldEvent {
    field: '$.queueResult.taskId'
    value: bigint
  }

  export interface ResponseQueueResultDuplicateFieldEvent {
    field: '$.queueResult.duplicate'
    value: boolean
  }

  export interface ResponseQueueResultTaskTaskIdFieldEvent {
    field: '$.queueResult.task.taskId'
    value: bigint
  }

  export interface ResponseQueueResultTaskPayloadFieldEvent {
    field: '$.queueResult.task.payload'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseQueueResultTaskPriorityFieldEvent {
    field: '$.queueResult.task.priority'
    value: number
  }

  export interface ResponseQueueResultTaskEnqueuedAtFieldEvent {
    field: '$.queueResult.task.enqueuedAt'
    value: bigint
  }

  export interface ResponseQueueResultTaskAttemptsFieldEvent {
    field: '$.queueResult.task.attempts'
    value: number
  }

  export interface ResponseQueueResultTaskTokenFieldEvent {
    field: '$.queueResult.task.token'
    value: bigint
  }

  export interface ResponseQueueResultTaskDeadlineFieldEvent {
    field: '$.queueResult.task.deadline'
    value: bigint
  }

  export interface ResponseQueueResultTaskErrorFieldEvent {
    field: '$.queueResult.task.error'
    value: string
  }

  export interface ResponseQueueResultStatsSettingsPolicyFieldEvent {
    field: '$.queueResult.stats.settings.policy'
    value: string
  }

  export interface ResponseQueueResultStatsSettingsMaxAttemptsFieldEvent {
    field: '$.queueResult.stats.settings.maxAttempts'
    value: number
  }

  export interface ResponseQueueResultStatsSettingsLeaseMsFieldEvent {
    field: '$.queueResult.stats.settings.leaseMs'
    value: bigint
  }

  export interface ResponseQueueResultStatsSettingsBackoffMsFieldEvent {
    field: '$.queueResult.stats.settings.backoffMs'
    value: bigint
  }

  export interface ResponseQueueResultStatsSettingsMaxBackoffMsFieldEvent {
    field: '$.queueResult.stats.settings.maxBackoffMs'
    value: bigint
  }

  export interface ResponseQueueResultStatsReadyFieldEvent {
    field: '$.queueResult.stats.ready'
    value: bigint
  }

  export interface ResponseQueueResultStatsDelayedFieldEvent {
    field: '$.queueResult.stats.delayed'
    value: bigint
  }

  export interface ResponseQueueResultStatsLeasedFieldEvent {
    field: '$.queueResult.stats.leased'
    value: bigint
  }

  export interface ResponseQueueResultStatsDeadFieldEvent {
    field: '$.queueResult.stats.dead'
    value: bigint
  }

  export interface ResponseQueueResultStatsEnqueuedFieldEvent {
    field: '$.queueResult.stats.enqueued'
    value: bigint
  }

  export interface ResponseQueueResultStatsAckedFieldEvent {
    field: '$.queueResult.stats.acked'
    value: bigint
  }

  export interface ResponseQueueResultStatsWorkersWorkerFieldEvent {
    field: '$.queueResult.stats.workers[].worker'
    value: string
    index: number
  }

  export interface ResponseQueueResultStatsWorkersInFlightFieldEvent {
    field: '$.queueResult.stats.workers[].inFlight'
    value: number
    index: number
  }

  export interface ResponseQueueResultStatsWorkersDoneFieldEvent {
    field: '$.queueResult.stats.workers[].done'
    value: bigint
    index: number
  }

  export interface ResponseQueueResultStatsConnectedFieldEvent {
    field: '$.queueResult.stats.connected'
    value: number
  }

  export interface ResponseQueueResultStatsQueueFieldEvent {
    field: '$.queueResult.stats.queue'
    value: string
  }

  export interface ResponseQueueResultTasksTaskIdFieldEvent {
    field: '$.queueResult.tasks[].taskId'
    value: bigint
    index: number
  }

  export interface ResponseQueueResultTasksPayloadFieldEvent {
    field: '$.queueResult.tasks[].payload'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseQueueResultTasksPriorityFieldEvent {
    field: '$.queueResult.tasks[].priority'
    value: number
    index: number
  }

  export interface ResponseQueueResultTasksEnqueuedAtFieldEvent {
    field: '$.queueResult.tasks[].enqueuedAt'
    value: bigint
    index: number
  }

  export interface ResponseQueueResultTasksAttemptsFieldEvent {
    field: '$.queueResult.tasks[].attempts'
    value: number
    index: number
  }

  export interface ResponseQueueResultTasksTokenFieldEvent {
    field: '$.queueResult.tasks[].token'
    value: bigint
    index: number
  }

  export interface ResponseQueueResultTasksDeadlineFieldEvent {
    field: '$.queueResult.tasks[].deadline'
    value: bigint
    index: number
  }

  export interface ResponseQueueResultTasksErrorFieldEvent {
    field: '$.queueResult.tasks[].error'
    value: string
    index: number
  }

  export interface ResponseQueueResultReplayedFieldEvent {
    field: '$.queueResult.replayed'
    value: number
  }

  export interface ResponseQueueResultHomePeerIdFieldEvent {
    field: '$.queueResult.home.peerId'
    value: string
  }

  export interface ResponseQueueResultHomeMultiaddrsFieldEvent {
    field: '$.queueResult.home.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseQueueResultEnqueuedTaskIdFieldEvent {
    field: '$.queueResult.enqueued[].taskId'
    value: bigint
    index: number
  }

  export interface ResponseQueueResultEnqueuedDuplicateFieldEvent {
    field: '$.queueResult.enqueued[].duplicate'
    value: boolean
    index: number
  }

  export interface ResponseQueueResultEnqueuedErrorFieldEvent {
    field: '$.queueResult.enqueued[].error'
    value: number
    index: number
  }

  export interface ResponseQueueResultEnqueuedMessageFieldEvent {
    field: '$.queueResult.enqueued[].message'
    value: string
    index: number
  }

  export function encode (obj: Partial<Response>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Response.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Response>): Response {
    return decodeMessage(buf, Response.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Response>): Generator<ResponseIdFieldEvent | ResponseErrorFieldEvent | ResponseMessageFieldEvent | ResponseHopsFieldEvent | ResponsePathFieldEvent | ResponseRecordKeyFieldEvent | ResponseRecordValueFieldEvent | ResponseRecordVersionTimestampFieldEvent | ResponseRecordVersionWriterFieldEvent | ResponseRecordExpiresAtFieldEvent | ResponsePeerPeerIdFieldEvent | ResponsePeerMultiaddrsFieldEvent | ResponsePeersPeerIdFieldEvent | ResponsePeersMultiaddrsFieldEvent | ResponseRecordsKeyFieldEvent | ResponseRecordsValueFieldEvent | ResponseRecordsVersionTimestampFieldEvent | ResponseRecordsVersionWriterFieldEvent | ResponseRecordsExpiresAtFieldEvent | ResponseDoneFieldEvent | ResponseStatusSelfPeerIdFieldEvent | ResponseStatusSelfMultiaddrsFieldEvent | ResponseStatusPredecessorPeerIdFieldEvent | ResponseStatusPredecessorMultiaddrsFieldEvent | ResponseStatusSuccessorsPeerIdFieldEvent | ResponseStatusSuccessorsMultiaddrsFieldEvent | ResponseStatusFingersPeerIdFieldEvent | ResponseStatusFingersMultiaddrsFieldEvent | ResponseStatusKeyCountFieldEvent | ResponseStatusRangeStartFieldEvent | ResponseStatusRangeEndFieldEvent | ResponseStatusCountersFieldEvent | ResponseStatusStoredCountFieldEvent | ResponseStatusQueuesSettingsPolicyFieldEvent | ResponseStatusQueuesSettingsMaxAttemptsFieldEvent | ResponseStatusQueuesSettingsLeaseMsFieldEvent | ResponseStatusQueuesSettingsBackoffMsFieldEvent | ResponseStatusQueuesSettingsMaxBackoffMsFieldEvent | ResponseStatusQueuesReadyFieldEvent | ResponseStatusQueuesDelayedFieldEvent | ResponseStatusQueuesLeasedFieldEvent | ResponseStatusQueuesDeadFieldEvent | ResponseStatusQueuesEnqueuedFieldEvent | ResponseStatusQueuesAckedFieldEvent | ResponseStatusQueuesWorkersWorkerFieldEvent | ResponseStatusQueuesWorkersInFlightFieldEvent | ResponseStatusQueuesWorkersDoneFieldEvent | ResponseStatusQueuesConnectedFieldEvent | ResponseStatusQueuesQueueFieldEvent | ResponseReplicasFieldEvent | ResponseDigestsStartFieldEvent | ResponseDigestsEndFieldEvent | ResponseDigestsCountFieldEvent | ResponseDigestsHashFieldEvent | ResponseAppliedFieldEvent | ResponsePaxosKindFieldEvent | ResponsePaxosBallotCounterFieldEvent | ResponsePaxosBallotProposerFieldEvent | ResponsePaxosEpochFieldEvent | ResponsePaxosRoundFieldEvent | ResponsePaxosStateValueFieldEvent | ResponsePaxosStateVersionFieldEvent | ResponsePaxosPromiseNextCounterFieldEvent | ResponsePaxosPromiseNextProposerFieldEvent | ResponsePaxosAcceptedCounterFieldEvent | ResponsePaxosAcceptedProposerFieldEvent | ResponsePaxosHighestCounterFieldEvent | ResponsePaxosHighestProposerFieldEvent | ResponsePaxosCodeFieldEvent | ResponsePaxosPhaseFieldEvent | ResponseRegisterResultSucceededFieldEvent | ResponseRegisterResultValueFieldEvent | ResponseRegisterResultVersionFieldEvent | ResponseRegisterResultTokenFieldEvent | ResponseRegisterResultLeaseMsFieldEvent | ResponseRegisterResultHolderFieldEvent | ResponseRegisterResultDecidedBallotCounterFieldEvent | ResponseRegisterResultDecidedBallotProposerFieldEvent | ResponseRegisterResultDecidedStateValueFieldEvent | ResponseRegisterResultDecidedStateVersionFieldEvent | ResponseBullyKindFieldEvent | ResponseBullyGroupFieldEvent | ResponseBullyTermFieldEvent | ResponseServedByPeerIdFieldEvent | ResponseServedByMultiaddrsFieldEvent | ResponseOwnerAfterFieldEvent | ResponseLogStatePromisedFieldEvent | ResponseLogStateFirstSeqFieldEvent | ResponseLogStateLastSeqFieldEvent | ResponseLogStateLastEpochFieldEvent | ResponseLogStateCommitFieldEvent | ResponseLogStateMatchedFieldEvent | ResponseLogStateEntriesSeqFieldEvent | ResponseLogStateEntriesEpochFieldEvent | ResponseLogStateEntriesPublishedAtFieldEvent | ResponseLogStateEntriesDataFieldEvent | ResponseTopicResultSeqFieldEvent | ResponseTopicResultEntriesSeqFieldEvent | ResponseTopicResultEntriesEpochFieldEvent | ResponseTopicResultEntriesPublishedAtFieldEvent | ResponseTopicResultEntriesDataFieldEvent | ResponseTopicResultLastSeqFieldEvent | ResponseTopicResultFirstSeqFieldEvent | ResponseTopicResultRetentionMaxEntriesFieldEvent | ResponseTopicResultRetentionMaxAgeMsFieldEvent | ResponseTopicResultUseRelayFieldEvent | ResponseQueueResultTaskIdFieldEvent | ResponseQueueResultDuplicateFieldEvent | ResponseQueueResultTaskTaskIdFieldEvent | ResponseQueueResultTaskPayloadFieldEvent | ResponseQueueResultTaskPriorityFieldEvent | ResponseQueueResultTaskEnqueuedAtFieldEvent | ResponseQueueResultTaskAttemptsFieldEvent | ResponseQueueResultTaskTokenFieldEvent | ResponseQueueResultTaskDeadlineFieldEvent | ResponseQueueResultTaskErrorFieldEvent | ResponseQueueResultStatsSettingsPolicyFieldEvent | ResponseQueueResultStatsSettingsMaxAttemptsFieldEvent | ResponseQueueResultStatsSettingsLeaseMsFieldEvent | ResponseQueueResultStatsSettingsBackoffMsFieldEvent | ResponseQueueResultStatsSettingsMaxBackoffMsFieldEvent | ResponseQueueResultStatsReadyFieldEvent | ResponseQueueResultStatsDelayedFieldEvent | ResponseQueueResultStatsLeasedFieldEvent | ResponseQueueResultStatsDeadFieldEvent | ResponseQueueResultStatsEnqueuedFieldEvent | ResponseQueueResultStatsAckedFieldEvent | ResponseQueueResultStatsWorkersWorkerFieldEvent | ResponseQueueResultStatsWorkersInFlightFieldEvent | ResponseQueueResultStatsWorkersDoneFieldEvent | ResponseQueueResultStatsConnectedFieldEvent | ResponseQueueResultStatsQueueFieldEvent | ResponseQueueResultTasksTaskIdFieldEvent | ResponseQueueResultTasksPayloadFieldEvent | ResponseQueueResultTasksPriorityFieldEvent | ResponseQueueResultTasksEnqueuedAtFieldEvent | ResponseQueueResultTasksAttemptsFieldEvent | ResponseQueueResultTasksTokenFieldEvent | ResponseQueueResultTasksDeadlineFieldEvent | ResponseQueueResultTasksErrorFieldEvent | ResponseQueueResultReplayedFieldEvent | ResponseQueueResultHomePeerIdFieldEvent | ResponseQueueResultHomeMultiaddrsFieldEvent | ResponseQueueResultEnqueuedTaskIdFieldEvent | ResponseQueueResultEnqueuedDuplicateFieldEvent | ResponseQueueResultEnqueuedErrorFieldEvent | ResponseQueueResultEnqueuedMessageFieldEvent> {
    return streamMessage(buf, Response.codec(), opts)
  }
}
