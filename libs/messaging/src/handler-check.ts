/**
 * Problems with the handlers registered in one process: a job name its queues can hold with no handler or with
 * two, or a handler for a job name none of its queues holds. Empty when all is well.
 */
export function checkJobHandlers(expectedJobs: readonly string[], handledJobs: readonly string[]): string[] {
  const problems: string[] = [];
  const counts = new Map<string, number>();
  for (const name of handledJobs) counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const name of new Set(expectedJobs)) {
    const count = counts.get(name) ?? 0;
    if (count === 0) problems.push(`job "${name}" has no handler`);
    if (count > 1) problems.push(`job "${name}" has ${count} handlers`);
  }
  for (const name of counts.keys()) {
    if (!expectedJobs.includes(name)) problems.push(`handler for "${name}", which none of this service's queues holds`);
  }
  return problems;
}
