'use strict'
// The package's calls wait for the database off libuv's thread pool. That pool (four threads,
// UV_THREADPOOL_SIZE) also runs the host's fs, dns, zlib and crypto work: a call parked there for
// up to retryFor stalls all of it. Here a MariaDB of the test's own is frozen with SIGSTOP, more
// calls than the pool has threads are left waiting on it (batches through open() and through
// actions-core, check(), testAuthentication), and the host's own fs, crypto, zlib and dns work
// still completes at once. Closing stays safe meanwhile: close() waits for the calls in progress
// and later calls are refused; once the database moves again every call is answered and stored.
const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('fs')
const os = require('os')
const path = require('path')
const crypto = require('crypto')
const zlib = require('zlib')
const dns = require('dns')
const { execFileSync } = require('child_process')
const { core, pkg, defaultMapping, track } = require('./support')

const POOL = Number(process.env.UV_THREADPOOL_SIZE || 4)
const scripts = path.join(__dirname, '..', '..', 'scripts')
const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-libuv-pool-db-'))
let server = null // { settings, pid }

function sql(query) {
  return execFileSync(path.join(scripts, 'db'), ['sql', '--dir', dbDir, '-N', '-B', 'actions_test', query]).toString().trim()
}

// SIGSTOP takes effect thread by thread: frozen once every thread of the server is stopped.
function allStopped(pid) {
  const tasks = fs.readdirSync(`/proc/${pid}/task`)
  return tasks.every((t) => {
    try {
      return /^State:\s+T/m.test(fs.readFileSync(`/proc/${pid}/task/${t}/status`, 'utf8'))
    } catch (_) {
      return true // the thread ended meanwhile
    }
  })
}

async function eventually(condition, what, boundMs = 30000) {
  const until = Date.now() + boundMs
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

// Resolves with how long `work` (a Promise-returning function) took, or rejects past `boundMs`.
function within(work, boundMs, what) {
  const t0 = process.hrtime.bigint()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not complete within ${boundMs} ms: libuv's pool is held`)), boundMs)
    work().then(() => {
      clearTimeout(timer)
      resolve(Number(process.hrtime.bigint() - t0) / 1e6)
    }, (e) => {
      clearTimeout(timer)
      reject(e)
    })
  })
}

// The host's own work on libuv's pool: one of each kind.
const hostWork = {
  'fs.promises.stat': () => fs.promises.stat(__filename),
  'fs.promises.readFile': () => fs.promises.readFile(__filename),
  'crypto.pbkdf2': () => new Promise((resolve, reject) => crypto.pbkdf2('pw', 'salt', 1000, 32, 'sha256', (e, k) => (e ? reject(e) : resolve(k)))),
  'zlib.gzip': () => new Promise((resolve, reject) => zlib.gzip(Buffer.alloc(1 << 16, 'x'), (e, z) => (e ? reject(e) : resolve(z)))),
  'dns.lookup': () => dns.promises.lookup('localhost')
}

function settled(promise) {
  const state = { done: false, value: undefined, error: undefined }
  promise.then((v) => Object.assign(state, { done: true, value: v }), (e) => Object.assign(state, { done: true, error: e }))
  return state
}

before(() => {
  const settings = JSON.parse(execFileSync(path.join(scripts, 'db'), ['start', '--dir', dbDir]).toString())
  server = { settings: { ...settings, tableName: 'node_libuv_pool' }, pid: Number(fs.readFileSync(path.join(dbDir, 'mariadbd.pid'), 'utf8')) }
})

after(async () => {
  if (server) process.kill(server.pid, 'SIGCONT')
  await pkg.closeAll()
  execFileSync(path.join(scripts, 'db'), ['stop', '--dir', dbDir])
})

test('the check can see a held pool: with its threads blocked, the host\'s fs work waits', async () => {
  // The control: the pool's threads held by reads of FIFOs nobody writes yet (no CPU used).
  assert.equal(POOL, 4, 'the test expects libuv\'s default pool of four threads')
  const fifos = Array.from({ length: POOL }, (_, i) => path.join(dbDir, `fifo-${i}`))
  for (const f of fifos) execFileSync('mkfifo', [f])
  const reads = fifos.map((f) => fs.promises.readFile(f))
  await assert.rejects(within(hostWork['fs.promises.stat'], 1000, 'fs.promises.stat'), /libuv's pool is held/)
  for (const f of fifos) fs.writeFileSync(f, 'x') // each reader has the FIFO open: this returns
  await Promise.all(reads)
  await within(hostWork['fs.promises.stat'], 5000, 'fs.promises.stat')
})

test('calls waiting on a frozen database leave libuv\'s pool to the host; close waits for them, later calls are refused', async () => {
  const { settings, pid } = server
  const d = pkg.open(settings, { parallel: 2 })
  await d.ready()
  const warm = await d.performBatch([track('pool-warm')])
  assert.equal(warm[0].body.outcome, 'inserted')
  const dest = new core.Destination(pkg.destination)
  const mapping = defaultMapping()
  await dest.executeBatch('send', { events: [track('pool-warm-core')], mapping, settings })

  process.kill(pid, 'SIGSTOP')
  try {
    await eventually(() => allStopped(pid), 'the server to stop')
    // Twice as many calls waiting on the database as the pool has threads, of every kind.
    const calls = []
    for (let i = 0; i < POOL; i++) calls.push(settled(d.performBatch([track(`pool-open-${i}`)])))
    for (let i = 0; i < POOL; i++) calls.push(settled(dest.executeBatch('send', { events: [track(`pool-core-${i}`)], mapping, settings })))
    const checks = [settled(d.check()), settled(core.createTestIntegration(pkg.destination).testAuthentication(settings))]

    for (const [name, work] of Object.entries(hostWork)) await within(work, 5000, name)
    assert.deepEqual(calls.filter((c) => c.done), [], 'a call was answered while the database was frozen')

    // close() waits for the calls in progress; a call begun after it is refused at once.
    const closing = settled(d.close())
    await assert.rejects(d.performBatch([track('pool-after-close')]), /closed/)
    for (const [name, work] of Object.entries(hostWork)) await within(work, 5000, name)
    assert.equal(closing.done, false, 'close() returned while calls were still waiting')
    assert.equal(checks[0].done, false, 'check() answered while the database was frozen')

    process.kill(pid, 'SIGCONT')
    await eventually(() => calls.every((c) => c.done) && closing.done, 'the calls and close() to be answered', 120000)
    for (const c of calls) assert.equal(c.error, undefined, String(c.error && c.error.stack))
    assert.deepEqual(calls.slice(0, POOL).map((c) => c.value[0].body.outcome), Array(POOL).fill('inserted'))
    assert.deepEqual(calls.slice(POOL).map((c) => c.value[0].status), Array(POOL).fill(200))
    assert.equal(closing.error, undefined)
    await eventually(() => checks.every((c) => c.done), 'check() and testAuthentication to be answered', 120000)
    assert.equal(Number(sql("SELECT COUNT(*) FROM node_libuv_pool WHERE messageId LIKE 'pool-open-%' OR messageId LIKE 'pool-core-%'")), 2 * POOL)
    assert.equal(Number(sql("SELECT COUNT(*) FROM node_libuv_pool WHERE messageId = 'pool-after-close'")), 0)
  } finally {
    process.kill(pid, 'SIGCONT')
  }
})
