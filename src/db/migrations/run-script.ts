import { type Kysely, sql } from 'kysely'

/** Splits a DDL script into statements: a `;` at the end of a line ends one, except inside `$$` bodies. */
export function splitStatements(script: string): string[] {
  const statements: string[] = []
  let current: string[] = []
  let inBody = false
  for (const line of script.split('\n')) {
    if (line.trim().startsWith('--') && current.length === 0) continue
    current.push(line)
    if ((line.match(/\$\$/g) ?? []).length % 2 === 1) inBody = !inBody
    if (!inBody && line.trimEnd().endsWith(';')) {
      statements.push(current.join('\n').trim())
      current = []
    }
  }
  const rest = current.join('\n').trim()
  if (rest !== '') statements.push(rest)
  return statements
}

/** Runs a DDL script one statement at a time (PGlite's extended protocol takes one per query). */
export async function runScript(db: Kysely<unknown>, script: string): Promise<void> {
  for (const statement of splitStatements(script)) {
    await sql.raw(statement).execute(db)
  }
}
