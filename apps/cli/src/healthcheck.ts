#!/usr/bin/env node
/**
 * Container healthcheck: `node dist/src/healthcheck.js [SOCKET]` asks the daemon's health
 * socket (`--health-socket`, default $RINGDHT_HEALTH_SOCKET) for `GET /health` and exits 0
 * when it answers 200, 1 otherwise. It imports nothing but node:http, so it starts in
 * tens of milliseconds and never dials the ring (unlike `ringdht status`).
 */
import { request } from 'node:http'

const socketPath = process.argv[2] ?? process.env.RINGDHT_HEALTH_SOCKET
if (socketPath === undefined || socketPath === '') {
  process.stderr.write('usage: healthcheck.js SOCKET (or set RINGDHT_HEALTH_SOCKET)\n')
  process.exit(2)
}

const req = request({ socketPath, path: '/health', timeout: 3_000 }, (response) => {
  let body = ''
  response.setEncoding('utf8')
  response.on('data', (chunk: string) => {
    body += chunk
  })
  response.on('end', () => {
    process.stdout.write(body)
    process.exit(response.statusCode === 200 ? 0 : 1)
  })
})
req.on('timeout', () => req.destroy(new Error('no answer within 3 s')))
req.on('error', (err) => {
  process.stderr.write(`unhealthy: ${socketPath}: ${err.message}\n`)
  process.exit(1)
})
req.end()
