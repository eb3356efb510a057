#!/usr/bin/env node
import { relaunchWithDaemonFlags } from './daemon-flags.js'

// before the program's modules load: a daemon may start over with its V8 flags first
relaunchWithDaemonFlags()
const { createProgram } = await import('./program.js')
const { run } = await import('./run.js')
await run(() => createProgram().parseAsync(process.argv))
