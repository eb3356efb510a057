import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The docker-compose topology without Docker: one network namespace per compose service,
 * each with a veth into a private bridge and an address in a test-only subnet, and
 * `/etc/netns/<ns>/hosts` mapping the service names (so `/dns4/seed/...` resolves as in
 * compose). The host end of the bridge has .1, so the test queries from the host
 * like `docker compose` users do through published ports.
 */
export const COMPOSE_FILE = fileURLToPath(
  new URL('../../../../docker-compose.yml', import.meta.url),
)

export interface Service {
  name: string
  command: string[]
  namespace: string
  address: string
}

/** Why the test cannot run here, or undefined when it can. */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (ip netns, veth, iptables)'
  for (const tool of ['ip', 'iptables']) {
    try {
      execFileSync(tool, ['-V'], { stdio: 'ignore' })
    } catch {
      return `\`${tool}\` is not installed (apt-get install -y iproute2 iptables)`
    }
  }
  return undefined
}

/** The services and their `command:` lists, read from docker-compose.yml itself. */
export function composeServices(): Array<{ name: string; command: string[] }> {
  const services: Array<{ name: string; command: string[] }> = []
  let current: string | undefined
  let inServices = false
  for (const line of readFileSync(COMPOSE_FILE, 'utf8').split('\n')) {
    if (/^\S/.test(line)) inServices = line.startsWith('services:')
    if (!inServices) continue
    const service = /^ {2}([a-z0-9-]+):\s*$/.exec(line)
    if (service != null) current = service[1]
    const command = /^ {4}command:\s*(\[.*\])\s*$/.exec(line)
    if (command != null && current != null)
      services.push({ name: current, command: JSON.parse(command[1] as string) })
  }
  return services
}

/** A 10.77.N.0/24 no interface on the host uses yet: parallel runs (other checkouts) must not share one. */
function freeSubnet(preferred: number): number {
  let used = ''
  try {
    used = execFileSync('ip', ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' })
  } catch {
    // no ip tool: netnsUnavailable() skips the tests anyway
  }
  for (let offset = 0; offset < 250; offset++) {
    const candidate = (preferred + offset) % 250
    if (!used.includes(` 10.77.${candidate}.`)) return candidate
  }
  return preferred
}

function sh(args: string[]): void {
  execFileSync(args[0] as string, args.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] })
}

function quiet(args: string[]): void {
  try {
    sh(args)
  } catch {
    // cleanup of something that is not there
  }
}

export class Topology {
  readonly services: Service[]
  readonly bridge: string
  readonly hostAddress: string
  /** The service names as the host sees them (used through `hostWrap`). */
  readonly hostsFile: string
  private readonly tag: string

  constructor(names: string[]) {
    this.tag = `rdt${process.pid % 100_000}`
    const subnet = `10.77.${freeSubnet(process.pid % 250)}`
    this.bridge = `${this.tag}br`
    this.hostAddress = `${subnet}.1`
    this.hostsFile = `/tmp/${this.tag}.hosts`
    this.services = names.map((name, index) => ({
      name,
      command: [],
      namespace: `${this.tag}-${name}`,
      address: `${subnet}.${10 + index}`,
    }))
  }

  up(): void {
    this.down()
    sh(['ip', 'link', 'add', this.bridge, 'type', 'bridge'])
    sh(['ip', 'addr', 'add', `${this.hostAddress}/24`, 'dev', this.bridge])
    sh(['ip', 'link', 'set', this.bridge, 'up'])
    const hosts = [
      '127.0.0.1 localhost',
      ...this.services.map((service) => `${service.address} ${service.name}`),
      '',
    ].join('\n')
    writeFileSync(this.hostsFile, hosts)
    this.services.forEach((service, index) => {
      const hostEnd = `${this.tag}h${index}`
      const nsEnd = `${this.tag}n${index}`
      sh(['ip', 'netns', 'add', service.namespace])
      sh(['ip', 'link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', nsEnd])
      sh(['ip', 'link', 'set', hostEnd, 'master', this.bridge, 'up'])
      sh(['ip', 'link', 'set', nsEnd, 'netns', service.namespace])
      const inNs = ['ip', 'netns', 'exec', service.namespace]
      sh([...inNs, 'ip', 'link', 'set', nsEnd, 'name', 'eth0'])
      sh([...inNs, 'ip', 'addr', 'add', `${service.address}/24`, 'dev', 'eth0'])
      sh([...inNs, 'ip', 'link', 'set', 'eth0', 'up'])
      sh([...inNs, 'ip', 'link', 'set', 'lo', 'up'])
      mkdirSync(`/etc/netns/${service.namespace}`, { recursive: true })
      writeFileSync(`/etc/netns/${service.namespace}/hosts`, hosts)
    })
  }

  /** Idempotent: safe on every exit path, and before `up` to clear a crashed run's leftovers. */
  down(): void {
    for (const service of this.services) {
      quiet(['ip', 'netns', 'del', service.namespace])
      rmSync(`/etc/netns/${service.namespace}`, { recursive: true, force: true })
    }
    quiet(['ip', 'link', 'del', this.bridge])
    rmSync(this.hostsFile, { force: true })
  }

  /**
   * Prefix that runs a command on the host (no namespace of its own) with `hostsFile` as
   * /etc/hosts, in a private mount namespace: nothing else on the host sees the names.
   */
  hostWrap(): string[] {
    return [
      'unshare',
      '--mount',
      '--',
      'sh',
      '-c',
      'mount --bind "$0" /etc/hosts && exec "$@"',
      this.hostsFile,
    ]
  }

  /** Prefix that runs a command inside the service's namespace. */
  exec(service: Service): string[] {
    return ['ip', 'netns', 'exec', service.namespace]
  }

  /** Drops every packet in and out of the service except loopback, inside its namespace. */
  partition(service: Service): void {
    sh([...this.exec(service), 'iptables', '-I', 'INPUT', '1', '!', '-i', 'lo', '-j', 'DROP'])
    sh([...this.exec(service), 'iptables', '-I', 'OUTPUT', '1', '!', '-o', 'lo', '-j', 'DROP'])
  }

  heal(service: Service): void {
    quiet([...this.exec(service), 'iptables', '-D', 'INPUT', '!', '-i', 'lo', '-j', 'DROP'])
    quiet([...this.exec(service), 'iptables', '-D', 'OUTPUT', '!', '-o', 'lo', '-j', 'DROP'])
  }
}
