/**
 * etcd's own lock service (v3lockpb.Lock, in every etcd 3.x server): Lock blocks until the
 * caller holds the name — the server runs concurrency.Mutex, a key per waiter under the
 * name, each waiting for the deletion of the one before — and Unlock deletes the key. The
 * etcd3 npm client has only a try-lock, so this talks gRPC to the service directly, with
 * the few messages it needs declared inline (field numbers as in etcd's v3lock.proto).
 */
import * as grpc from '@grpc/grpc-js'
import { fromJSON } from '@grpc/proto-loader'

const header = {
  fields: {
    cluster_id: { type: 'uint64', id: 1 },
    member_id: { type: 'uint64', id: 2 },
    revision: { type: 'int64', id: 3 },
    raft_term: { type: 'uint64', id: 4 },
  },
}

const definition = fromJSON(
  {
    nested: {
      v3lockpb: {
        nested: {
          ResponseHeader: header,
          LockRequest: {
            fields: { name: { type: 'bytes', id: 1 }, lease: { type: 'int64', id: 2 } },
          },
          LockResponse: {
            fields: { header: { type: 'ResponseHeader', id: 1 }, key: { type: 'bytes', id: 2 } },
          },
          UnlockRequest: { fields: { key: { type: 'bytes', id: 1 } } },
          UnlockResponse: { fields: { header: { type: 'ResponseHeader', id: 1 } } },
          Lock: {
            methods: {
              Lock: { requestType: 'LockRequest', responseType: 'LockResponse', comment: '' },
              Unlock: { requestType: 'UnlockRequest', responseType: 'UnlockResponse', comment: '' },
            },
          },
        },
      },
    },
  },
  { keepCase: true, longs: String },
)

type Callback<T> = (err: grpc.ServiceError | null, response: T) => void

interface LockServiceClient extends grpc.Client {
  Lock(
    request: { name: Buffer; lease: string },
    options: grpc.CallOptions,
    callback: Callback<{ key: Buffer }>,
  ): void
  Unlock(request: { key: Buffer }, options: grpc.CallOptions, callback: Callback<unknown>): void
}

const LockService = (
  grpc.loadPackageDefinition(definition) as unknown as {
    v3lockpb: {
      Lock: new (address: string, credentials: grpc.ChannelCredentials) => LockServiceClient
    }
  }
).v3lockpb.Lock

function call<T>(run: (callback: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    run((err, response) => (err === null ? resolve(response) : reject(err)))
  })
}

/** One channel to one etcd member's lock service. */
export class V3LockClient {
  private readonly client: LockServiceClient

  /** `endpoint`: the member's client URL, e.g. http://127.0.0.1:2379. */
  constructor(endpoint: string) {
    this.client = new LockService(new URL(endpoint).host, grpc.credentials.createInsecure())
  }

  /** Waits until `lease` holds `name`; returns the key that holds it. */
  async lock(name: string, lease: string, deadlineMs: number): Promise<Buffer> {
    const response = await call<{ key: Buffer }>((callback) =>
      this.client.Lock(
        { name: Buffer.from(name), lease },
        { deadline: Date.now() + deadlineMs },
        callback,
      ),
    )
    return response.key
  }

  async unlock(key: Buffer, deadlineMs: number): Promise<void> {
    await call((callback) =>
      this.client.Unlock({ key }, { deadline: Date.now() + deadlineMs }, callback),
    )
  }

  close(): void {
    this.client.close()
  }
}
