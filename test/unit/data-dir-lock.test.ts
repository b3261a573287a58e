import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { connectDatabase } from '../../src/db/connection.ts'
import { DataDirLockedError, lockDataDir } from '../../src/db/data-dir-lock.ts'

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CONNECTION_MODULE = fileURLToPath(new URL('../../src/db/connection.ts', import.meta.url))

let dataDir: string
const children: ChildProcess[] = []

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopdesk-lock-'))
})

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  fs.rmSync(dataDir, { recursive: true, force: true })
})

const lockPath = () => path.join(dataDir, 'loopdesk.lock')

function thrownBy(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected an error, but nothing was thrown')
}

/** The pid of a process that has run and exited (and been reaped), so it is certainly not running. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  const pid = child.pid
  if (pid === undefined) throw new Error('could not spawn node')
  await new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return pid
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

describe('lockDataDir in one process', () => {
  it('writes the holder pid to the lock file', () => {
    const release = lockDataDir(dataDir)
    expect(fs.readFileSync(lockPath(), 'utf8').trim()).toBe(String(process.pid))
    release()
    expect(fs.existsSync(lockPath())).toBe(false)
  })

  it('creates a data directory that does not exist yet', () => {
    const nested = path.join(dataDir, 'a', 'b')
    const release = lockDataDir(nested)
    expect(fs.existsSync(path.join(nested, 'loopdesk.lock'))).toBe(true)
    release()
  })

  it('refuses a second lock on the same directory while the first is held', () => {
    const release = lockDataDir(dataDir)
    try {
      const error = thrownBy(() => lockDataDir(dataDir))
      expect(error).toBeInstanceOf(DataDirLockedError)
      const locked = error as DataDirLockedError
      expect(locked.pid).toBe(process.pid)
      expect(locked.dataDir).toBe(dataDir)
      expect(locked.message).toContain(String(process.pid))
      // The refused attempt must not have removed the holder's lock.
      expect(fs.readFileSync(lockPath(), 'utf8').trim()).toBe(String(process.pid))
    } finally {
      release()
    }
  })

  it('can be taken again after release; releasing twice is harmless', () => {
    const first = lockDataDir(dataDir)
    first()
    first()
    const second = lockDataDir(dataDir)
    expect(fs.existsSync(lockPath())).toBe(true)
    // The first holder's late second release must not remove the new holder's lock.
    first()
    expect(fs.existsSync(lockPath())).toBe(true)
    second()
    expect(fs.existsSync(lockPath())).toBe(false)
  })

  it('takes over a stale lock left by a process that no longer runs', async () => {
    const pid = await deadPid()
    fs.writeFileSync(lockPath(), String(pid))
    const release = lockDataDir(dataDir)
    expect(fs.readFileSync(lockPath(), 'utf8').trim()).toBe(String(process.pid))
    release()
  })

  it('takes over a lock file whose content is not a pid (a crash mid-write)', () => {
    for (const content of ['', 'garbage', '-5', '0']) {
      fs.writeFileSync(lockPath(), content)
      const release = lockDataDir(dataDir)
      expect(fs.readFileSync(lockPath(), 'utf8').trim()).toBe(String(process.pid))
      release()
    }
  })

  it('refuses a lock held by another live process', () => {
    // Our parent (the vitest runner) is certainly alive.
    fs.writeFileSync(lockPath(), String(process.ppid))
    const error = thrownBy(() => lockDataDir(dataDir))
    expect(error).toBeInstanceOf(DataDirLockedError)
    expect((error as DataDirLockedError).pid).toBe(process.ppid)
    expect(fs.readFileSync(lockPath(), 'utf8').trim()).toBe(String(process.ppid))
  })

  it('taking over a stale lock never removes a lock another process took over in the meantime', async () => {
    const stale = await deadPid()
    fs.writeFileSync(lockPath(), String(stale))
    const rival = process.ppid
    const realReadFileSync = fs.readFileSync.bind(fs)
    // Interleaving of two processes that both find the same stale lock: right after this
    // process has read the stale pid, the rival removes the stale file and takes the lock.
    const spy = vi.spyOn(fs, 'readFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, options: BufferEncoding) => {
      const content = realReadFileSync(file, options)
      if (file === lockPath()) {
        spy.mockRestore()
        fs.rmSync(lockPath())
        fs.writeFileSync(lockPath(), String(rival))
      }
      return content
    }) as unknown as typeof fs.readFileSync)
    let release: (() => void) | undefined
    let error: unknown
    try {
      release = lockDataDir(dataDir)
    } catch (caught) {
      error = caught
    } finally {
      spy.mockRestore()
    }
    const holder = fs.readFileSync(lockPath(), 'utf8').trim()
    release?.()
    // Only one of the two may hold the lock: the rival got it first, so this process must be refused.
    expect(holder).toBe(String(rival))
    expect(error).toBeInstanceOf(DataDirLockedError)
  })

  it('locks directories independently', () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'loopdesk-lock-'))
    try {
      const a = lockDataDir(dataDir)
      const b = lockDataDir(other)
      a()
      b()
    } finally {
      fs.rmSync(other, { recursive: true, force: true })
    }
  })
})

describe('connectDatabase across processes', () => {
  /** A child process that opens the data directory, writes a row, prints READY and then waits. */
  function startHolder(dir: string): { child: ChildProcess; ready: Promise<void>; output: () => string } {
    const code = `
      const { connectDatabase } = await import(${JSON.stringify(CONNECTION_MODULE)})
      const { sql } = await import('kysely')
      const handle = await connectDatabase({ dataDir: ${JSON.stringify(dir)} })
      await sql\`CREATE TABLE IF NOT EXISTS probe (id int PRIMARY KEY, note text NOT NULL)\`.execute(handle.db)
      await sql\`INSERT INTO probe VALUES (1, 'written by the first process')\`.execute(handle.db)
      process.stdout.write('READY\\n')
      setInterval(() => {}, 60_000)
    `
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.push(child)
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child not READY in time:\n${out}`)), 45_000)
      child.stdout?.on('data', () => {
        if (out.includes('READY')) {
          clearTimeout(timer)
          resolve()
        }
      })
      child.once('exit', (codeOrNull, signal) => {
        clearTimeout(timer)
        reject(new Error(`child exited early (${codeOrNull ?? signal}):\n${out}`))
      })
    })
    return { child, ready, output: () => out }
  }

  it('refuses a database another live process holds, then takes it over intact after that process is killed', async () => {
    const holder = startHolder(dataDir)
    await holder.ready
    const childPid = holder.child.pid
    expect(childPid).toBeDefined()
    expect(fs.readFileSync(lockPath(), 'utf8').trim()).toBe(String(childPid))

    let refusal: unknown
    try {
      const handle = await connectDatabase({ dataDir })
      await handle.close()
    } catch (error) {
      refusal = error
    }
    expect(refusal).toBeInstanceOf(DataDirLockedError)
    expect((refusal as DataDirLockedError).pid).toBe(childPid)
    expect((refusal as Error).message).toContain(`pid ${childPid}`)
    // The refusal did not disturb the holder's lock.
    expect(fs.readFileSync(lockPath(), 'utf8').trim()).toBe(String(childPid))

    holder.child.kill('SIGKILL')
    await exited(holder.child)
    expect(holder.child.signalCode).toBe('SIGKILL')
    // The killed process could not clean up: its lock file is still there, now stale.
    expect(fs.readFileSync(lockPath(), 'utf8').trim()).toBe(String(childPid))

    const handle = await connectDatabase({ dataDir })
    try {
      expect(fs.readFileSync(lockPath(), 'utf8').trim()).toBe(String(process.pid))
      const one = await sql<{ one: number }>`SELECT 1 AS one`.execute(handle.db)
      expect(one.rows).toEqual([{ one: 1 }])
      const rows = await sql<{ id: number; note: string }>`SELECT id, note FROM probe ORDER BY id`.execute(handle.db)
      expect(rows.rows).toEqual([{ id: 1, note: 'written by the first process' }])
      // And it is writable.
      await sql`INSERT INTO probe VALUES (2, 'after the takeover')`.execute(handle.db)
      const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM probe`.execute(handle.db)
      expect(count.rows).toEqual([{ n: 2 }])
    } finally {
      await handle.close()
    }
    expect(fs.existsSync(lockPath())).toBe(false)
  })

  it('a child refused by the lock exits with DataDirLockedError naming this process', async () => {
    const handle = await connectDatabase({ dataDir })
    try {
      const holder = startHolder(dataDir)
      await expect(holder.ready).rejects.toThrow(/child exited early/)
      expect(holder.output()).toContain('DataDirLockedError')
      expect(holder.output()).toContain(`pid ${process.pid}`)
      const one = await sql<{ one: number }>`SELECT 1 AS one`.execute(handle.db)
      expect(one.rows).toEqual([{ one: 1 }])
    } finally {
      await handle.close()
    }
  })
})
