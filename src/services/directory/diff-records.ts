/** The fields whose values differ between two versions of a record, for the event log. */
export function diffRecords<T extends object>(before: T, after: T): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {}
  for (const key of Object.keys(after) as (keyof T & string)[]) {
    if (key === 'updated_at') continue
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = { before: before[key], after: after[key] }
  }
  return changes
}
