/** node flags that make a child write a CPU profile into `dir` when it exits. */
export function cpuProfArgs(dir: string | undefined, name: string): string[] {
  if (dir === undefined) return []
  return [
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
    `--cpu-prof-name=${name}-${process.pid}.cpuprofile`,
  ]
}
