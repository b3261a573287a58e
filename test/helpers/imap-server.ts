import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { ImapFlow } from 'imapflow'

/** Debian's Dovecot (`apt-get install dovecot-imapd`, installed by .ci/run); DOVECOT_PATH points elsewhere. */
export const DOVECOT_PATH = process.env.DOVECOT_PATH ?? '/usr/sbin/dovecot'

export function hasDovecot(): boolean {
  return fs.existsSync(DOVECOT_PATH)
}

/** A message as the IMAP server holds it. */
export interface MailboxEntry {
  readonly uid: number
  readonly messageId: string | null
  readonly seen: boolean
}

/** A private Dovecot on loopback with one user and a maildir, for one test file. */
export interface ImapServer {
  readonly host: string
  readonly port: number
  readonly user: string
  readonly password: string
  /** `imap://user:pass@127.0.0.1:port/INBOX`, the form IMAP_URL takes. */
  url(options?: { password?: string; mailbox?: string }): string
  /** Delivers a message the way a mail client or an MTA's IMAP hand-off would: IMAP APPEND (creating the mailbox when missing). */
  append(raw: Buffer | string, options?: { mailbox?: string; flags?: string[] }): Promise<number>
  /** What the mailbox holds now, in UID order. */
  list(mailbox?: string): Promise<MailboxEntry[]>
  /** Cuts every logged-in IMAP session off, as a server restart or a network drop would (kills this Dovecot's `imap` processes). Returns how many. */
  dropSessions(): number
  /** Dovecot's own log, for diagnosing a failure. */
  log(): string
  stop(): Promise<void>
}

const USER = 'desk'
const PASSWORD = 'imap test password'

/** Major and minor version of the installed Dovecot (`2.3.19.1 (9b53102964)` → [2, 3]). */
function dovecotVersion(): [number, number] {
  const output = execFileSync(DOVECOT_PATH, ['--version'], { encoding: 'utf8' })
  const match = /^(\d+)\.(\d+)/.exec(output.trim())
  if (match === null) throw new Error(`cannot read the Dovecot version from "${output.trim()}"`)
  return [Number(match[1]), Number(match[2])]
}

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (typeof address !== 'object' || address === null) throw new Error('no free port')
  return address.port
}

interface Accounts {
  /** Runs the login processes (Dovecot refuses root for them). */
  readonly loginUser: string
  /** Runs the internal processes (auth workers, stats). */
  readonly internalUser: string
  /** Owns the maildir (Dovecot refuses mail access as root). */
  readonly mailUid: number
  readonly mailGid: number
  readonly chroot: boolean
}

/** As root: `nobody` for logins and mail, root inside. Otherwise everything as the current user, without chroot. */
function accounts(): Accounts {
  const uid = process.getuid?.() ?? 0
  if (uid === 0) {
    const nobodyUid = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim())
    const nobodyGid = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim())
    return { loginUser: 'nobody', internalUser: 'root', mailUid: nobodyUid, mailGid: nobodyGid, chroot: true }
  }
  const me = os.userInfo()
  return { loginUser: me.username, internalUser: me.username, mailUid: me.uid, mailGid: me.gid, chroot: false }
}

/** The whole configuration; nothing is read from /etc/dovecot. */
function configuration(version: [number, number], dir: string, port: number, who: Accounts): string {
  const common = [
    `instance_name = loopdesk-test-${path.basename(dir)}`,
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/dovecot.log`,
    'listen = 127.0.0.1',
    'ssl = no',
    'auth_mechanisms = plain login',
    `default_internal_user = ${who.internalUser}`,
    `default_internal_group = ${who.internalUser === 'root' ? 'root' : String(who.mailGid)}`,
    `default_login_user = ${who.loginUser}`,
    `first_valid_uid = ${Math.min(who.mailUid, 500)}`,
    `first_valid_gid = ${Math.min(who.mailGid, 500)}`,
    `mail_uid = ${who.mailUid}`,
    `mail_gid = ${who.mailGid}`,
  ]
  const chroot = who.chroot ? '' : '  chroot =\n'
  if (version[0] > 2 || (version[0] === 2 && version[1] >= 4)) {
    // Dovecot 2.4 renamed most settings; written from its documentation (the machines here run 2.3).
    return `dovecot_config_version = ${version.join('.')}.0
dovecot_storage_version = ${version.join('.')}.0
${common.join('\n')}
protocols = imap
auth_allow_cleartext = yes
mail_driver = maildir
mail_path = ${dir}/mail/%{user}
passdb passwd-file {
  passwd_file_path = ${dir}/passwd
  default_password_scheme = PLAIN
}
userdb passwd-file {
  passwd_file_path = ${dir}/passwd
}
service imap-login {
${chroot}  inet_listener imap {
    listen = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`
  }
  return `${common.join('\n')}
protocols = imap
disable_plaintext_auth = no
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/passwd
}
service imap-login {
${chroot}  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`
}

/** Process ids of the `imap` session processes under the given Dovecot master. */
function sessionProcesses(masterPid: number): number[] {
  const found: number[] = []
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      // pid (comm) state ppid …; comm may hold spaces, so split after its closing parenthesis.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (comm === 'imap' && ppid === masterPid) found.push(Number(entry))
    } catch {
      // The process ended while we looked.
    }
  }
  return found
}

/** Resolves once the server sends its `* OK` greeting; rejects when Dovecot exits first or the deadline passes. */
async function waitForGreeting(port: number, child: ChildProcess, logFile: string, deadline: number): Promise<void> {
  const greeted = () =>
    new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1')
      let data = ''
      socket.setTimeout(2000, () => socket.destroy())
      socket.on('data', (chunk) => {
        data += chunk.toString('latin1')
        if (data.includes('\n')) {
          socket.destroy()
          resolve(data.startsWith('* OK'))
        }
      })
      socket.on('error', () => resolve(false))
      socket.on('close', () => resolve(false))
    })
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break
    if (await greeted()) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''
  throw new Error(`Dovecot did not answer on 127.0.0.1:${port} (exit ${child.exitCode ?? child.signalCode ?? 'none'}):\n${log}`)
}

/**
 * Starts a private Dovecot (`dovecot -F -c <own config>`) in a temporary directory: IMAP on a
 * free loopback port, plaintext login allowed (no TLS), one user in a passwd-file, a maildir.
 * Throws with Dovecot's log when it does not come up. `stop()` ends it and removes the directory.
 */
export async function startImapServer(): Promise<ImapServer> {
  if (!hasDovecot()) throw new Error(`no Dovecot at ${DOVECOT_PATH} (apt-get install dovecot-imapd, or set DOVECOT_PATH)`)
  const version = dovecotVersion()
  const who = accounts()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopdesk-imap-'))
  // The mail processes (not root) walk through this directory to their maildir.
  fs.chmodSync(dir, 0o711)
  for (const sub of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, sub))
  fs.chownSync(path.join(dir, 'mail'), who.mailUid, who.mailGid)
  fs.writeFileSync(path.join(dir, 'passwd'), `${USER}:{PLAIN}${PASSWORD}::::::\n`, { mode: 0o600 })
  const logFile = path.join(dir, 'dovecot.log')

  let child: ChildProcess | undefined
  let port = 0
  // A free port can be taken between looking and binding; try again with another.
  for (let attempt = 1; child === undefined; attempt++) {
    port = await freePort()
    const configFile = path.join(dir, 'dovecot.conf')
    fs.writeFileSync(configFile, configuration(version, dir, port, who))
    const started = spawn(DOVECOT_PATH, ['-F', '-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    started.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8')
    })
    try {
      await waitForGreeting(port, started, logFile, Date.now() + 20_000)
      child = started
    } catch (error) {
      started.kill('SIGTERM')
      if (attempt >= 3) {
        fs.rmSync(dir, { recursive: true, force: true })
        throw new Error(`${(error as Error).message}\n${stderr}`)
      }
    }
  }
  const running = child
  if (running === undefined) throw new Error('unreachable: Dovecot not started')
  const killOnExit = () => running.kill('SIGTERM')
  process.on('exit', killOnExit)

  const connect = async (): Promise<ImapFlow> => {
    const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user: USER, pass: PASSWORD }, logger: false })
    client.on('error', () => {})
    await client.connect()
    return client
  }

  return {
    host: '127.0.0.1',
    port,
    user: USER,
    password: PASSWORD,
    url: (options = {}) => `imap://${encodeURIComponent(USER)}:${encodeURIComponent(options.password ?? PASSWORD)}@127.0.0.1:${port}/${encodeURIComponent(options.mailbox ?? 'INBOX')}`,
    append: async (raw, options = {}) => {
      const client = await connect()
      try {
        const mailbox = options.mailbox ?? 'INBOX'
        if (mailbox !== 'INBOX' && !(await client.list()).some((entry) => entry.path === mailbox)) await client.mailboxCreate(mailbox)
        const appended = await client.append(mailbox, typeof raw === 'string' ? Buffer.from(raw) : raw, options.flags ?? [])
        if (appended === false || appended.uid === undefined) throw new Error('APPEND returned no UID')
        return appended.uid
      } finally {
        await client.logout()
      }
    },
    list: async (mailbox = 'INBOX') => {
      const client = await connect()
      try {
        const lock = await client.getMailboxLock(mailbox)
        try {
          const uids = (await client.search({ all: true }, { uid: true })) || []
          if (uids.length === 0) return []
          const messages = await client.fetchAll(uids.join(','), { uid: true, flags: true, envelope: true }, { uid: true })
          return messages
            .map((message) => ({ uid: message.uid, messageId: message.envelope?.messageId ?? null, seen: message.flags?.has('\\Seen') ?? false }))
            .sort((a, b) => a.uid - b.uid)
        } finally {
          lock.release()
        }
      } finally {
        await client.logout()
      }
    },
    dropSessions: () => {
      const pids = running.pid === undefined ? [] : sessionProcesses(running.pid)
      for (const pid of pids) process.kill(pid, 'SIGKILL')
      return pids.length
    },
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    stop: async () => {
      process.off('exit', killOnExit)
      if (running.exitCode === null && running.signalCode === null) {
        const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()))
        running.kill('SIGTERM')
        const timer = setTimeout(() => running.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      }
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
    },
  }
}
