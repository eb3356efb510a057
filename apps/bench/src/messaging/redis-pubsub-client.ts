/**
 * Child process: the Redis side of the messaging comparison, as an ioredis user writes it.
 * One publisher connection (PUBLISH, acknowledged by Redis's reply) and one subscriber
 * connection per subscriber (SUBSCRIBE), each with ioredis's defaults: reconnect and
 * re-subscribe after the server comes back, commands queued while it is away.
 */
import { Redis } from 'ioredis'
import { failChild, guardChildLifetime, serveCommands } from '../harness/child-runtime.js'
import { pubSubCommands } from './pubsub-commands.js'
import type { PubSubBackend } from './pubsub-workload.js'

const connections = new Set<Redis>()
const stop = async (): Promise<void> => {
  for (const connection of connections) connection.disconnect()
}
guardChildLifetime(stop)

try {
  const { port } = JSON.parse(process.argv[2] ?? '{}') as { port: number }
  const open = () => {
    const connection = new Redis({ host: '127.0.0.1', port, commandTimeout: 5_000 })
    connection.on('error', () => {}) // reconnects on its own; failures show as publish errors
    connections.add(connection)
    return connection
  }
  const publisher = open()
  await publisher.ping()
  const backend: PubSubBackend = {
    async subscribe(topics, subscribers, deliver) {
      const opened: Redis[] = []
      for (let s = 0; s < subscribers; s++) {
        const connection = open()
        opened.push(connection)
        connection.on('messageBuffer', (channel: Buffer, message: Buffer) =>
          deliver(s, channel.toString(), message),
        )
        await connection.subscribe(...topics)
      }
      return {
        close: async () => {
          for (const connection of opened) {
            connection.disconnect()
            connections.delete(connection)
          }
        },
      }
    },
    async publish(topic, data, signal) {
      signal.throwIfAborted()
      await publisher.publish(topic, Buffer.from(data))
    },
  }
  serveCommands({ info: {}, stop, commands: { ...pubSubCommands(backend) } })
} catch (err) {
  failChild(err)
}
