/** A strict reader of the Prometheus text exposition format (version 0.0.4), for tests. */
export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

export interface Family {
  name: string
  type: string
  help: string
  samples: Sample[]
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy

/** Parses the text; throws with the line number on anything malformed. */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>()
  const lines = text.split('\n')
  for (const [index, line] of lines.entries()) {
    const where = `line ${index + 1}: ${line}`
    if (line === '') continue
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) {
      const [, kind, name, ...rest] = line.split(' ')
      if (name === undefined || !NAME.test(name)) throw new Error(`bad metric name, ${where}`)
      const family = families.get(name) ?? { name, type: 'untyped', help: '', samples: [] }
      if (kind === 'TYPE') {
        const type = rest.join(' ')
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type))
          throw new Error(`bad type, ${where}`)
        family.type = type
      } else family.help = rest.join(' ')
      families.set(name, family)
      continue
    }
    if (line.startsWith('#')) continue
    const match = SAMPLE.exec(line)
    if (match === null) throw new Error(`bad sample, ${where}`)
    const [, name, , labelText, valueText] = match as unknown as [
      string,
      string,
      string,
      string | undefined,
      string,
    ]
    const labels: Record<string, string> = {}
    if (labelText !== undefined && labelText !== '') {
      LABEL.lastIndex = 0
      let consumed = 0
      for (let m = LABEL.exec(labelText); m !== null; m = LABEL.exec(labelText)) {
        labels[m[1] as string] = (m[2] as string).replace(/\\(.)/g, (_, c) =>
          c === 'n' ? '\n' : c,
        )
        consumed = LABEL.lastIndex
      }
      if (consumed !== labelText.length) throw new Error(`bad labels, ${where}`)
    }
    const value =
      valueText === '+Inf'
        ? Number.POSITIVE_INFINITY
        : valueText === '-Inf'
          ? Number.NEGATIVE_INFINITY
          : Number(valueText)
    if (Number.isNaN(value) && valueText !== 'NaN') throw new Error(`bad value, ${where}`)
    const base = familyOf(name, families)
    if (base === undefined) throw new Error(`sample without # TYPE, ${where}`)
    base.samples.push({ name, labels, value })
  }
  return families
}

function familyOf(sample: string, families: Map<string, Family>): Family | undefined {
  const exact = families.get(sample)
  if (exact !== undefined) return exact
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (sample.endsWith(suffix)) {
      const family = families.get(sample.slice(0, -suffix.length))
      if (family !== undefined && (family.type === 'histogram' || family.type === 'summary'))
        return family
    }
  }
  return undefined
}

export function sampleValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name !== name) continue
      if (Object.entries(labels).every(([k, v]) => sample.labels[k] === v)) return sample.value
    }
  }
  return undefined
}
