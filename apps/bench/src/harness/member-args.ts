import type { MemberArgs } from '../drivers/mesh-driver.js'

/** Reads the JSON member arguments the driver passes as argv[2]. */
export function readMemberArgs(): MemberArgs {
  const raw = process.argv[2]
  if (raw === undefined || raw === '') return {}
  const parsed: unknown = JSON.parse(raw)
  if (typeof parsed !== 'object' || parsed === null)
    throw new Error('member args must be an object')
  const bootstrap = (parsed as { bootstrap?: unknown }).bootstrap
  return typeof bootstrap === 'string' ? { bootstrap } : {}
}
