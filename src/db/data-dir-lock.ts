import fs from 'node:fs'
import path from 'node:path'

/**
 * PGlite opens a data directory that another process already has open without complaint,
 * and two writers corrupt it. The product therefore holds its own lock: a file created
 * exclusively, holding the owner's pid. A lock left by a process that no longer runs is
 * taken over; one held by a live process is a clear error.
 */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError'
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`the data directory ${dataDir} is in use by another Loopdesk process (pid ${pid}); stop it or choose another --data directory`)
  }
}

/** A takeover older than this was abandoned by a process that died in the middle of it. */
const ABANDONED_TAKEOVER_MS = 10_000

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readPid(lockPath: string): number | null {
  try {
    const pid = Number(fs.readFileSync(lockPath, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

function tryCreate(filePath: string): boolean {
  try {
    const fd = fs.openSync(filePath, 'wx')
    fs.writeSync(fd, String(process.pid))
    fs.closeSync(fd)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}

/**
 * Removes a lock whose owner is dead. Two processes may find the same stale lock at once;
 * without care one could delete the lock the other has just taken. So the removal happens
 * only while holding a second, exclusive takeover file, and only if the lock still names
 * the dead pid that was seen.
 */
function removeStaleLock(lockPath: string, deadPid: number | null): void {
  const takeoverPath = `${lockPath}.takeover`
  if (!tryCreate(takeoverPath)) {
    const age = Date.now() - (fs.statSync(takeoverPath, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
    if (age > ABANDONED_TAKEOVER_MS) fs.rmSync(takeoverPath, { force: true })
    return
  }
  try {
    if (readPid(lockPath) === deadPid) fs.rmSync(lockPath, { force: true })
  } finally {
    fs.rmSync(takeoverPath, { force: true })
  }
}

/** Takes the lock on `dataDir`; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true })
  const lockPath = path.join(dataDir, 'loopdesk.lock')
  for (let attempt = 0; attempt < 50; attempt++) {
    if (tryCreate(lockPath)) {
      let released = false
      return () => {
        if (released) return
        released = true
        if (readPid(lockPath) === process.pid) fs.rmSync(lockPath, { force: true })
      }
    }
    const pid = readPid(lockPath)
    if (pid !== null && (pid === process.pid || isRunning(pid))) throw new DataDirLockedError(dataDir, pid)
    removeStaleLock(lockPath, pid)
  }
  throw new Error(`could not take the lock on ${dataDir}`)
}
