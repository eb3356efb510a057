/**
 * The generated part of RESULTS.md: the last run's tables and the history's
 * trend, between two markers. Everything outside the markers is written by
 * people and left alone.
 */
import { readFileSync, writeFileSync } from 'node:fs'

export const RESULTS_PATH = new URL('../../RESULTS.md', import.meta.url).pathname
export const SECTION_START = '<!-- bench:generated:start (pnpm bench -- --write-results) -->'
export const SECTION_END = '<!-- bench:generated:end -->'

export interface SectionMarkers {
  start: string
  end: string
}

const MAIN_MARKERS: SectionMarkers = { start: SECTION_START, end: SECTION_END }

/** Replaces the text between the markers; appends the section when they are missing. */
export function replaceGeneratedSection(
  document: string,
  section: string,
  markers: SectionMarkers = MAIN_MARKERS,
): string {
  const block = `${markers.start}\n\n${section.trim()}\n\n${markers.end}`
  const start = document.indexOf(markers.start)
  const end = document.indexOf(markers.end)
  if (start === -1 || end === -1 || end < start) {
    return `${document.trimEnd()}\n\n${block}\n`
  }
  return document.slice(0, start) + block + document.slice(end + markers.end.length)
}

export function generatedSection(lastRun: string, trend: string): string {
  return [
    '## Latest run (generated)',
    '',
    lastRun,
    '',
    '### Trend (apps/bench/history.jsonl: median [bootstrap 95% interval] · share of the cores others used)',
    '',
    trend,
  ].join('\n')
}

export function writeResultsSection(
  section: string,
  path = RESULTS_PATH,
  markers: SectionMarkers = MAIN_MARKERS,
): void {
  writeFileSync(path, replaceGeneratedSection(readFileSync(path, 'utf8'), section, markers))
}
