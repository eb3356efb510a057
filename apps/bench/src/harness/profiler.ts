/**
 * CPU profiling of a bench child on request, through the inspector: the
 * driver profiles exactly the blocks it wants (e.g. only gets), instead of a
 * process's whole life as `--cpu-prof` does.
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'

let session: Session | undefined

export const profilerCommands = {
  'profile-start': async (): Promise<boolean> => {
    session ??= new Session()
    session.connect()
    await session.post('Profiler.enable')
    // V8's default 1 ms: a finer interval costs the profiled processes enough CPU to
    // change the latencies being explained (18 processes on 2 cores)
    await session.post('Profiler.setSamplingInterval', { interval: 1_000 })
    await session.post('Profiler.start')
    return true
  },
  'profile-stop': async (args: { path: string }): Promise<string> => {
    if (session === undefined) throw new Error('profiler not started')
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(args.path, JSON.stringify(profile))
    session.disconnect()
    session = undefined
    return args.path
  },
}
