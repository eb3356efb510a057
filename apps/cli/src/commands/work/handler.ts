import { spawn } from 'node:child_process'
import type { ClientFlags } from '../../client.js'
import { withClient } from '../../client.js'
import { UsageError } from '../../errors.js'
import { toJson, writeOut } from '../../io.js'
import type { Task } from '../../peer.js'
import { positiveIntegerFlag } from '../hold.js'

export interface WorkFlags extends ClientFlags {
  concurrency?: string
  capacity?: string
  maxTasks?: string
  name?: string
  json?: boolean
}

/**
 * `ringdht work QUEUE -- CMD ARGS...`: work on QUEUE, running CMD once per task with the
 * payload on its stdin and the task in its environment (RINGDHT_QUEUE, RINGDHT_TASK_ID,
 * RINGDHT_TASK_TOKEN, RINGDHT_TASK_ATTEMPT); exit 0 acks the task, anything else nacks
 * it (retried after a backoff, dead-lettered after the queue's maxAttempts). Runs until
 * SIGINT or SIGTERM (running commands finish and are settled first) or --max-tasks.
 */
export async function workHandler(
  queue: string,
  command: string[],
  flags: WorkFlags,
): Promise<void> {
  const [file, ...args] = command
  if (file === undefined) throw new UsageError('give the command to run per task after --')
  const concurrency =
    flags.concurrency === undefined ? 1 : positiveIntegerFlag('--concurrency', flags.concurrency)
  const capacity =
    flags.capacity === undefined ? concurrency : positiveIntegerFlag('--capacity', flags.capacity)
  const maxTasks =
    flags.maxTasks === undefined
      ? Number.POSITIVE_INFINITY
      : positiveIntegerFlag('--max-tasks', flags.maxTasks)
  const finished = Promise.withResolvers<void>()
  const onSignal = () => finished.resolve()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  let started = 0
  try {
    await withClient(
      flags,
      async (client) => {
        const worker = client.work(
          queue,
          async (task) => {
            started++
            if (started >= maxTasks) finished.resolve()
            const code = await run(file, args, task)
            if (flags.json === true) {
              await writeOut(
                `${toJson({ queue, taskId: task.taskId, attempt: task.attempts, exitCode: code })}\n`,
              )
            }
            if (code !== 0) throw new Error(`${file} exited with ${code}`)
          },
          { concurrency, capacity, ...(flags.name === undefined ? {} : { name: flags.name }) },
        )
        await finished.promise
        await worker.stop()
      },
      { taskDeadlineMs: Number.POSITIVE_INFINITY },
    )
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/** Runs the command for one task: the payload on stdin; resolves with its exit code. */
function run(file: string, args: readonly string[], task: Task): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      stdio: ['pipe', 'inherit', 'inherit'],
      env: {
        ...process.env,
        RINGDHT_QUEUE: task.queue,
        RINGDHT_TASK_ID: String(task.taskId),
        RINGDHT_TASK_TOKEN: String(task.token),
        RINGDHT_TASK_ATTEMPT: String(task.attempts),
      },
    })
    child.once('error', (err) => {
      process.stderr.write(`ringdht work: cannot run ${file}: ${err.message}\n`)
      resolve(127)
    })
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)))
    // a command that does not read its stdin must not fail the task
    child.stdin.on('error', () => {})
    child.stdin.end(task.payload)
  })
}
