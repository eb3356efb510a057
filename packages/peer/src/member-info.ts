/** JSON-friendly description of a member, as status() and ring() report it. */
export interface MemberInfo {
  peerId: string
  /** 16 hex digits */
  ringId: string
  multiaddrs: string[]
}
