/**
 * The ring as a picture: a pure function from members to SVG text. It imports nothing,
 * so the same compiled file is served to the browser (the ring page draws with it) and
 * used by `ringdht ring --svg FILE`.
 */

/** One member as the picture needs it (a `RingMemberInfo` fits). */
export interface RingPictureMember {
  peerId: string
  /** 16 hex digits. */
  ringId: string
  keyCount?: number
  replicaKeyCount?: number
  /** 'ok' (answers), 'unreachable' (listed by its neighbours, not answering). */
  health?: string
  /**
   * How the picture shows it: 'ok', 'failed' (unreachable, or gone without leaving) or
   * 'left'. Members not 'ok' own no arc. Default: 'ok' when health is 'ok', else 'failed'.
   */
  state?: 'ok' | 'failed' | 'left'
}

export interface RingPictureOptions {
  /** Copies of each key; a member's replica set is itself and the next r-1 live members. Default 3. */
  replicas?: number
  /** Width and height in pixels. Default 640. */
  size?: number
  /** Peer ids to draw as a path (a traced request), in order. */
  path?: string[]
  /** Text under the title. */
  caption?: string
}

/** Where a member sits and the arc it owns, in ring order (live members only own arcs). */
export interface RingLayoutMember extends RingPictureMember {
  state: 'ok' | 'failed' | 'left'
  /** Fraction of the ring, 0 ≤ position < 1, clockwise from the top. */
  position: number
  /** The arc (start, end] this member owns, as fractions; absent when it owns none. */
  arc?: { start: number; end: number }
  /** Peer ids holding copies of this member's arc (itself first). */
  replicaSet: string[]
}

const TWO_64 = 2 ** 64

/** A 16-hex-digit ring id as a fraction of the ring. */
export function ringFraction(ringId: string): number {
  const hex = ringId.padStart(16, '0').slice(0, 16)
  const high = Number.parseInt(hex.slice(0, 8), 16)
  const low = Number.parseInt(hex.slice(8), 16)
  if (!Number.isFinite(high) || !Number.isFinite(low)) return 0
  // the last few ids round up to a whole turn in a double: keep them just below it
  return Math.min((high * 2 ** 32 + low) / TWO_64, 1 - 2 ** -53)
}

/**
 * Ring order, positions, the arc each live member owns (from the previous live member to
 * itself) and each live member's replica set.
 */
export function layoutRing(
  members: readonly RingPictureMember[],
  options: { replicas?: number } = {},
): RingLayoutMember[] {
  const replicas = Math.max(1, options.replicas ?? 3)
  const seen = new Set<string>()
  const laid: RingLayoutMember[] = []
  for (const member of members) {
    if (seen.has(member.peerId)) continue
    seen.add(member.peerId)
    laid.push({
      ...member,
      state:
        member.state ?? (member.health === undefined || member.health === 'ok' ? 'ok' : 'failed'),
      position: ringFraction(member.ringId),
      replicaSet: [],
    })
  }
  laid.sort((a, b) => a.position - b.position || (a.peerId < b.peerId ? -1 : 1))
  const live = laid.filter((member) => member.state === 'ok')
  for (const [index, member] of live.entries()) {
    const previous = live[(index - 1 + live.length) % live.length] as RingLayoutMember
    member.arc =
      live.length === 1
        ? { start: member.position, end: member.position + 1 }
        : { start: previous.position, end: member.position }
    const set: string[] = []
    for (let step = 0; step < Math.min(replicas, live.length); step++) {
      set.push((live[(index + step) % live.length] as RingLayoutMember).peerId)
    }
    member.replicaSet = set
  }
  return laid
}

/** A colour per member, from its ring position, so a member keeps its colour across pictures. */
export function memberColour(position: number): string {
  return `hsl(${Math.round(position * 360)} 65% 50%)`
}

/** The short form of a peer id shown in labels: its last 6 characters. */
export function shortPeerId(peerId: string): string {
  return peerId.length > 8 ? `…${peerId.slice(-6)}` : peerId
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&#39;',
  )
}

function point(cx: number, cy: number, radius: number, fraction: number): [number, number] {
  const angle = fraction * 2 * Math.PI - Math.PI / 2
  return [cx + radius * Math.cos(angle), cy + radius * Math.sin(angle)]
}

function fixed(value: number): string {
  return value.toFixed(2)
}

/** SVG path of the arc (start, end] on a circle; end may exceed start by up to a whole turn. */
function arcPath(cx: number, cy: number, radius: number, start: number, end: number): string {
  let span = end - start
  if (span <= 0) span += 1
  if (span >= 0.9999) {
    // a whole circle: two half arcs
    const [x0, y0] = point(cx, cy, radius, start)
    const [x1, y1] = point(cx, cy, radius, start + 0.5)
    return `M ${fixed(x0)} ${fixed(y0)} A ${radius} ${radius} 0 1 1 ${fixed(x1)} ${fixed(y1)} A ${radius} ${radius} 0 1 1 ${fixed(x0)} ${fixed(y0)}`
  }
  const [x0, y0] = point(cx, cy, radius, start)
  const [x1, y1] = point(cx, cy, radius, start + span)
  return `M ${fixed(x0)} ${fixed(y0)} A ${radius} ${radius} 0 ${span > 0.5 ? 1 : 0} 1 ${fixed(x1)} ${fixed(y1)}`
}

/**
 * The ring as one SVG document: the circle, each live member's arc in its colour, every
 * member at its ring position (failed ones as red crosses), labels with short ids and
 * key counts, and the path of a traced request when given. Elements carry
 * `data-peer-id`, `data-state` and `data-replicas` so a page can script hover and tests
 * can read the picture.
 */
export function renderRingSvg(
  members: readonly RingPictureMember[],
  options: RingPictureOptions = {},
): string {
  const size = options.size ?? 640
  const cx = size / 2
  const cy = size / 2 + 12
  const radius = size * 0.32
  const laid = layoutRing(members, options)
  const live = laid.filter((m) => m.state === 'ok')
  const totalKeys = live.reduce((sum, m) => sum + (m.keyCount ?? 0), 0)
  const parts: string[] = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="ring" viewBox="0 0 ${size} ${size + 24}" width="${size}" height="${size + 24}" font-family="sans-serif" font-size="12">`,
  )
  parts.push(
    `<style>.arc{fill:none;stroke-width:14;stroke-linecap:butt}.dim{opacity:.25}.hot{stroke-width:22}.label{fill:#222}.failed{fill:#c62828}</style>`,
  )
  parts.push(
    `<text x="12" y="20" font-size="15" font-weight="bold">ringdht: ${live.length} live member${live.length === 1 ? '' : 's'}, ${totalKeys} primary keys</text>`,
  )
  if (options.caption !== undefined) {
    parts.push(`<text x="12" y="38" fill="#555">${escapeXml(options.caption)}</text>`)
  }
  parts.push(
    `<circle cx="${cx}" cy="${cy}" r="${radius}" fill="none" stroke="#ccc" stroke-width="14"/>`,
  )
  for (const member of live) {
    if (member.arc === undefined) continue
    parts.push(
      `<path class="arc" data-owner="${escapeXml(member.peerId)}" data-start="${member.arc.start.toFixed(6)}" data-end="${member.arc.end.toFixed(6)}" d="${arcPath(cx, cy, radius, member.arc.start, member.arc.end)}" stroke="${memberColour(member.position)}"><title>${escapeXml(`${member.peerId}: arc owned, ${member.keyCount ?? 0} keys`)}</title></path>`,
    )
  }
  for (const member of laid) {
    const [x, y] = point(cx, cy, radius, member.position)
    const [lx, ly] = point(cx, cy, radius + 46, member.position)
    const anchor = lx < cx - 8 ? 'end' : lx > cx + 8 ? 'start' : 'middle'
    const replicas = member.replicaKeyCount ?? 0
    const title =
      member.state === 'ok'
        ? `${member.peerId}\nring id ${member.ringId}\n${member.keyCount ?? 0} primary keys, ${replicas} replica records\nreplica set: ${member.replicaSet.map(shortPeerId).join(', ')}`
        : `${member.peerId}\nring id ${member.ringId}\n${member.state}`
    parts.push(
      `<g class="member" data-peer-id="${escapeXml(member.peerId)}" data-ring-id="${escapeXml(member.ringId)}" data-state="${member.state}" data-keys="${member.keyCount ?? 0}" data-replicas="${escapeXml(member.replicaSet.join(' '))}"><title>${escapeXml(title)}</title>`,
    )
    if (member.state === 'ok') {
      parts.push(
        `<circle cx="${fixed(x)}" cy="${fixed(y)}" r="9" fill="${memberColour(member.position)}" stroke="#fff" stroke-width="2"/>`,
      )
    } else {
      const d = 7
      parts.push(
        `<circle cx="${fixed(x)}" cy="${fixed(y)}" r="9" fill="#fff" stroke="${member.state === 'left' ? '#888' : '#c62828'}" stroke-width="2"/>`,
        `<path d="M ${fixed(x - d)} ${fixed(y - d)} L ${fixed(x + d)} ${fixed(y + d)} M ${fixed(x - d)} ${fixed(y + d)} L ${fixed(x + d)} ${fixed(y - d)}" stroke="${member.state === 'left' ? '#888' : '#c62828'}" stroke-width="2"/>`,
      )
    }
    const status =
      member.state === 'ok' ? `${member.keyCount ?? 0} keys · ${replicas} repl` : member.state
    parts.push(
      `<text class="label${member.state === 'ok' ? '' : ' failed'}" x="${fixed(lx)}" y="${fixed(ly)}" text-anchor="${anchor}">${escapeXml(shortPeerId(member.peerId))}</text>`,
      `<text class="label${member.state === 'ok' ? '' : ' failed'}" x="${fixed(lx)}" y="${fixed(ly + 14)}" text-anchor="${anchor}" font-size="11">${escapeXml(status)}</text>`,
      '</g>',
    )
  }
  const path = (options.path ?? [])
    .map((peerId) => laid.find((m) => m.peerId === peerId))
    .filter((m): m is RingLayoutMember => m !== undefined)
  if (path.length > 0) {
    const points = path.map((m) => point(cx, cy, radius - 24, m.position))
    const d = points
      .map(([x, y], index) => `${index === 0 ? 'M' : 'L'} ${fixed(x)} ${fixed(y)}`)
      .join(' ')
    parts.push(
      `<g class="path" data-path="${escapeXml(path.map((m) => m.peerId).join(' '))}"><path d="${d}" fill="none" stroke="#222" stroke-width="2" stroke-dasharray="5 4"/>`,
      ...points.map(
        ([x, y], index) =>
          `<text x="${fixed(x)}" y="${fixed(y)}" text-anchor="middle" font-size="11" font-weight="bold">${index}</text>`,
      ),
      '</g>',
    )
  }
  parts.push('</svg>')
  return `${parts.join('\n')}\n`
}
