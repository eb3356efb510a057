import { shortPeerId } from '../output.js'
import type { RequestTrace } from '../peer.js'

/** `--trace`: the route on stderr, so stdout stays the data. */
export function printTrace(operation: string, key: string, trace: RequestTrace): void {
  const path =
    trace.path != null && trace.path.length > 0
      ? trace.path.map(shortPeerId).join(' -> ')
      : '(not reported)'
  const replicas = trace.replicas != null ? `, replicas ${trace.replicas}` : ''
  process.stderr.write(
    `${operation} ${JSON.stringify(key)}: ${trace.hops} hop${trace.hops === 1 ? '' : 's'}${replicas}, path ${path}\n`,
  )
}
