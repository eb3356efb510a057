import { rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { connect } from 'node:net'
import { ConfigError } from './errors.js'

/** What `GET /health` reports; `ok` decides 200 (healthy) or 503. */
export interface Health {
  ok: boolean
  /** starting (joining), ok, alone (started with bootstrap peers but has no successor), stopping */
  state: 'starting' | 'ok' | 'alone' | 'stopping'
  peerId?: string
  successors?: number
  error?: string
}

/**
 * The daemon's health, answered from its own memory on a unix socket: `GET /health` gives
 * 200 or 503 with a small JSON body. A container healthcheck (dist/src/healthcheck.js)
 * asks it every few seconds without starting a libp2p client or touching the network.
 * Returns a function that closes the server and removes the socket.
 */
export async function serveHealth(
  path: string,
  health: () => Health,
): Promise<() => Promise<void>> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || (request.url !== '/health' && request.url !== '/')) {
      response.writeHead(404).end()
      return
    }
    let body: Health
    try {
      body = health()
    } catch (err) {
      body = { ok: false, state: 'starting', error: (err as Error).message }
    }
    response
      .writeHead(body.ok ? 200 : 503, { 'content-type': 'application/json' })
      .end(`${JSON.stringify(body)}\n`)
  })
  server.unref()
  try {
    await listen(server, path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || (await answers(path))) {
      throw new ConfigError(`cannot serve health on ${path}: ${(err as Error).message}`, err)
    }
    // a socket file left by a daemon that was killed: nobody answers on it
    await rm(path, { force: true })
    await listen(server, path)
  }
  return () => new Promise<void>((resolve) => server.close(() => resolve()))
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(path, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path)
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
