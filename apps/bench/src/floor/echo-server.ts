/**
 * Child process: a libp2p node with the bench stack that echoes every
 * length-prefixed frame on ECHO_PROTOCOL. The far end of the floor.
 */
import * as lp from 'it-length-prefixed'
import { createLibp2p, type Libp2p } from 'libp2p'
import { failChild, guardChildLifetime, serveCommands } from '../harness/child-runtime.js'
import { benchStack } from '../stack.js'
import { ECHO_MAX_STREAMS, ECHO_PROTOCOL } from './echo-protocol.js'

let node: Libp2p | undefined
const stop = async (): Promise<void> => {
  await node?.stop()
}
guardChildLifetime(stop)

try {
  node = await createLibp2p({ ...benchStack() })
  await node.handle(
    ECHO_PROTOCOL,
    async (stream) => {
      try {
        for await (const frame of lp.decode(stream)) {
          if (!stream.send(lp.encode.single(frame))) await stream.onDrain()
        }
        await stream.close()
      } catch (err) {
        stream.abort(err instanceof Error ? err : new Error(String(err)))
      }
    },
    { maxInboundStreams: ECHO_MAX_STREAMS, maxOutboundStreams: ECHO_MAX_STREAMS },
  )
  serveCommands({
    info: {
      peerId: node.peerId.toString(),
      multiaddrs: node.getMultiaddrs().map((ma) => ma.toString()),
    },
    stop,
    commands: {
      rss: async () => process.memoryUsage().rss,
    },
  })
} catch (err) {
  failChild(err)
}
