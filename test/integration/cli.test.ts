import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient } from '../helpers/api-client.ts'
import { type TestDatabase, createTestDatabase } from '../helpers/test-database.ts'

const BIN = path.resolve('bin/loopdesk.js')

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

describe('the loopdesk command', () => {
  let dataDir: string
  let env: NodeJS.ProcessEnv
  let database: TestDatabase | undefined

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopdesk-cli-'))
    env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', LOOPDESK_ADMIN_EMAIL: '', LOOPDESK_ADMIN_PASSWORD: '' }
    if (process.env.DATABASE_URL) {
      // On PostgreSQL the command gets a database of its own, migrated by the command itself.
      database = await createTestDatabase()
      env.DATABASE_URL = database.url
    }
  })
  afterAll(async () => {
    await database?.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  function run(args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { env })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk) => (stdout += chunk))
      child.stderr.on('data', (chunk) => (stderr += chunk))
      child.on('exit', (code) => resolve({ code, stdout, stderr }))
    })
  }

  /** Starts `serve` and resolves once it prints its URL. */
  function serve(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env })
      let output = ''
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}`)), 60_000)
      child.stdout.on('data', (chunk) => {
        output += chunk
        const match = /listening on (http:\/\/\S+)/.exec(output)
        if (match?.[1] !== undefined) {
          clearTimeout(timer)
          resolve({ child, url: match[1], output: () => output })
        }
      })
      child.stderr.on('data', (chunk) => (output += chunk))
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)))
    })
  }

  function stop(child: ChildProcess): Promise<number | null> {
    return new Promise((resolve) => {
      child.removeAllListeners('exit')
      child.on('exit', (code) => resolve(code))
      child.kill('SIGTERM')
    })
  }

  it('migrates, adds users, issues tokens and serves, creating the first admin once', async () => {
    expect((await run(['migrate'])).code).toBe(0)
    const added = await run(['user', 'add', '--email', 'Li.Na@desk.test', '--name', '李娜', '--role', 'agent', '--tier', 'L2', '--password', 'a-long-password'])
    expect(added.stderr).toBe('')
    expect(added.stdout).toContain('li.na@desk.test')
    const customer = await run(['user', 'add', '--email', 'c@example.test', '--name', '客户', '--role', 'customer', '--org', '华东电力'])
    expect(customer.code).toBe(0)
    const badRole = await run(['user', 'add', '--email', 'x@desk.test', '--name', 'X', '--role', 'boss'])
    expect(badRole.code).not.toBe(0)
    expect(badRole.stderr).toContain('one of customer, agent, supervisor, manager, admin')
    const token = await run(['token', 'create', '--email', 'li.na@desk.test'])
    expect(token.code).toBe(0)
    const secret = token.stdout.trim()
    expect(secret).toMatch(/^ldt_[\w-]{20,}$/)

    const server = await serve()
    try {
      const passwordLine = /one-time password: (\S+)/.exec(server.output())
      expect(passwordLine?.[1]).toBeDefined()
      const admin = new ApiClient(server.url)
      expect((await admin.login('admin@loopdesk.local', passwordLine?.[1] ?? '')).status).toBe(200)
      const integration = ApiClient.withToken(server.url, secret)
      const me = await integration.get('/api/v1/me')
      expect(me.body.user.tier).toBe('L2')
      const orgs = await integration.get('/api/v1/organisations')
      expect(orgs.body.items.map((o: { name: string }) => o.name)).toEqual(['华东电力'])
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200)

      if (database === undefined) {
        const second = await run(['serve', '--port', '0'])
        expect(second.code).toBe(1)
        expect(second.stderr).toMatch(/in use by another Loopdesk process \(pid \d+\)/)
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
      }
    } finally {
      expect(await stop(server.child)).toBe(0)
    }

    const again = await serve()
    try {
      expect(again.output()).not.toContain('one-time password')
    } finally {
      await stop(again.child)
    }
  })
})
