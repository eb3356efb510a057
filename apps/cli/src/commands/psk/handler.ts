import { writeFile } from 'node:fs/promises'
import { UsageError } from '../../errors.js'
import { writeOut } from '../../io.js'
import { newSwarmKey } from '../../psk.js'

export async function pskGenerateHandler(
  file: string | undefined,
  flags: { force?: boolean },
): Promise<void> {
  const key = newSwarmKey()
  if (file == null) {
    await writeOut(key)
    return
  }
  try {
    await writeFile(file, key, { mode: 0o600, flag: flags.force === true ? 'w' : 'wx' })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST')
      throw new UsageError(`${file} already exists (use --force to overwrite it)`)
    throw new UsageError(`cannot write ${file}: ${(err as Error).message}`, err)
  }
  process.stderr.write(`wrote swarm key to ${file}\n`)
}
