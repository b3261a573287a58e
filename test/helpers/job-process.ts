// A bare app process for multi-process tests: opens the database named by the environment
// (DATABASE_URL, or the embedded one in DATA_DIR) and runs the durable jobs until stopped.
import { loadConfig } from '../../src/config.ts'
import { startJobs } from '../../src/jobs/job-runner.ts'
import { openRuntime } from '../../src/runtime.ts'

const runtime = await openRuntime(loadConfig(process.env))
const jobs = startJobs(runtime.deps, (message, error) => console.error(message, error), { slaIntervalMs: 100, outboxIntervalMs: 100 })
console.log('READY')
process.on('SIGTERM', () => {
  void jobs.stop().then(() => runtime.close()).then(() => process.exit(0))
})
