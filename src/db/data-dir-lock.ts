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

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Takes the lock on `dataDir`; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true })
  const lockPath = path.join(dataDir, 'loopdesk.lock')
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx')
      fs.writeSync(fd, String(process.pid))
      fs.closeSync(fd)
      let released = false
      return () => {
        if (released) return
        released = true
        fs.rmSync(lockPath, { force: true })
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const pid = Number(fs.readFileSync(lockPath, 'utf8').trim())
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) {
        throw new DataDirLockedError(dataDir, pid)
      }
      if (pid === process.pid) throw new DataDirLockedError(dataDir, pid)
      // Stale lock of a process that died: remove it and try again.
      fs.rmSync(lockPath, { force: true })
    }
  }
  throw new Error(`could not take the lock on ${dataDir}`)
}
