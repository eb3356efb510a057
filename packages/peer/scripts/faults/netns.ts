import { execFileSync } from 'node:child_process'

/** Why network namespaces cannot be used here, or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (ip netns, veth, iptables)'
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' })
    execFileSync('iptables', ['-V'], { stdio: 'ignore' })
  } catch {
    return 'needs iproute2 and iptables'
  }
  return undefined
}

function run(args: string[]): void {
  execFileSync(args[0] as string, args.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] })
}

function quiet(args: string[]): void {
  try {
    run(args)
  } catch {
    // cleaning up something that is not there
  }
}

/**
 * One network namespace per member, each with a veth into a bridge of the harness's own
 * in 198.18.0.0/15 (the benchmarking range, nobody's real network); the host end of the
 * bridge is .1, so the harness reaches every member. A partition is iptables rules inside
 * the members' namespaces dropping the other side's addresses; healing flushes them.
 */
export class NetnsNetwork {
  readonly #tag: string
  readonly #subnet: number
  readonly #count: number
  readonly #onExit = () => this.teardown()

  constructor(count: number) {
    this.#count = count
    this.#tag = `rdf${process.pid % 10_000}`
    this.#subnet = 1 + (process.pid % 250)
    process.on('exit', this.#onExit)
  }

  #ns(i: number): string {
    return `${this.#tag}-m${i}`
  }

  address(i: number): string {
    return `198.18.${this.#subnet}.${10 + i}`
  }

  setup(): void {
    const bridge = `${this.#tag}b`
    run(['ip', 'link', 'add', bridge, 'type', 'bridge'])
    run(['ip', 'addr', 'add', `198.18.${this.#subnet}.1/24`, 'dev', bridge])
    run(['ip', 'link', 'set', bridge, 'up'])
    for (let i = 0; i < this.#count; i++) {
      const ns = this.#ns(i)
      const host = `${this.#tag}h${i}`
      const inner = `${this.#tag}n${i}`
      run(['ip', 'netns', 'add', ns])
      run(['ip', 'link', 'add', host, 'type', 'veth', 'peer', 'name', inner])
      run(['ip', 'link', 'set', inner, 'netns', ns])
      run(['ip', 'link', 'set', host, 'master', bridge])
      run(['ip', 'link', 'set', host, 'up'])
      run(['ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', `${this.address(i)}/24`, 'dev', inner])
      run(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', inner, 'up'])
      run(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up'])
    }
  }

  /** The command that runs `argv` inside member i's namespace (same pid: `ip` execs it). */
  wrap(i: number, argv: string[]): string[] {
    return ['ip', 'netns', 'exec', this.#ns(i), ...argv]
  }

  /** Cut every member of `a` off from every member of `b` (both ways). */
  partition(a: readonly number[], b: readonly number[]): void {
    const cut = (from: readonly number[], to: readonly number[]) => {
      for (const i of from) {
        for (const j of to) {
          const ns = this.#ns(i)
          run([
            'ip',
            'netns',
            'exec',
            ns,
            'iptables',
            '-A',
            'INPUT',
            '-s',
            this.address(j),
            '-j',
            'DROP',
          ])
          run([
            'ip',
            'netns',
            'exec',
            ns,
            'iptables',
            '-A',
            'OUTPUT',
            '-d',
            this.address(j),
            '-j',
            'DROP',
          ])
        }
      }
    }
    cut(a, b)
    cut(b, a)
  }

  heal(): void {
    for (let i = 0; i < this.#count; i++)
      quiet(['ip', 'netns', 'exec', this.#ns(i), 'iptables', '-F'])
  }

  teardown(): void {
    for (let i = 0; i < this.#count; i++) {
      quiet(['ip', 'netns', 'del', this.#ns(i)])
      quiet(['ip', 'link', 'del', `${this.#tag}h${i}`])
    }
    quiet(['ip', 'link', 'del', `${this.#tag}b`])
    process.off('exit', this.#onExit)
  }
}
