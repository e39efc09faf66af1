'use strict'
// The package's own API for Node programs without actions-core (open / performBatch / check /
// close), and what holds for both APIs: calls leave the event loop free, one native destination
// per settings is reused across calls, and the connections are closed when the process exits.
const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('fs')
const path = require('path')
const { spawnSync } = require('child_process')
const { core, pkg, packageDir, dbDir, baseSettings, settingsFor, sql, count, dropTable, defaultMapping, track } = require('./support')

const TABLE = 'node_live'
const settings = settingsFor(TABLE)

// A user of the test's own, so that what the server records of it is the test's alone.
function createUser(name, password, limits = '') {
  sql(`DROP USER IF EXISTS '${name}'@'127.0.0.1'`)
  sql(`CREATE USER '${name}'@'127.0.0.1' IDENTIFIED BY '${password}' ${limits}`)
  sql(`GRANT ALL ON \`${baseSettings.dbName}\`.* TO '${name}'@'127.0.0.1'`)
  return { ...settings, username: name, password }
}

before(() => dropTable(TABLE))
after(() => pkg.closeAll())

test('open() maps, validates and delivers events with the library\'s default mapping and subscription', async () => {
  const d = pkg.open(settings)
  await d.ready()
  const results = await d.performBatch([
    track('node-live-1'),
    track('node-live-1'),
    { type: 'identify', messageId: 'node-live-2', timestamp: '2026-03-01T00:00:00Z', userId: 'u' },
    { type: 'track', messageId: 'node-live-3', timestamp: '2026-03-01T00:00:00Z' }, // track without event
    { type: 'delete', messageId: 'node-live-4', timestamp: '2026-03-01T00:00:00Z' } // not subscribed
  ])
  assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 400, 200])
  assert.deepEqual(results.map((r) => (r.body ? r.body.outcome : r.outcome)), ['inserted', 'duplicate', 'inserted', 'rejected', 'skipped'])
  assert.match(results[3].errormessage, /event/)
  assert.equal(count(TABLE, "messageId LIKE 'node-live-%'"), 2)
  assert.deepEqual(await d.check(), { ok: true })
  await d.close()
  await assert.rejects(d.performBatch([track('node-live-5')]), /closed/)
  assert.equal(count(TABLE, "messageId = 'node-live-5'"), 0)
})

test('open() takes a mapping and a subscription of its own', async () => {
  const mapping = {
    messageId: { '@path': '$.messageId' }, timestamp: { '@path': '$.timestamp' }, type: { '@path': '$.type' },
    event: { '@path': '$.event' }, message: { '@path': '$.properties' }, max_batch_size: 1000
  }
  const d = pkg.open(settings, { mapping, subscription: 'event = "Kept"' })
  const results = await d.performBatch([track('node-live-map-1', { event: 'Kept' }), track('node-live-map-2', { event: 'Dropped' })])
  assert.deepEqual(results.map((r) => r.body.outcome), ['inserted', 'skipped'])
  assert.deepEqual(sql(`SELECT message FROM ${TABLE} WHERE messageId LIKE 'node-live-map-%'`).map(([m]) => JSON.parse(m)), [{ total: 42 }])
  await d.close()
})

test('open() refuses an unknown or misspelt settings key at once, naming it and the key meant', async () => {
  // The CLI's rule: a setting is never dropped unseen (ssl_mode would have left the connection unencrypted).
  assert.throws(() => pkg.open({ ...settings, ssl_mode: 'verify_identity' }), (e) => e.message.includes('unknown setting "ssl_mode": did you mean "sslMode"?'))
  assert.throws(() => pkg.open({ ...settings, tablename: 'other' }), (e) => e.message.includes('unknown setting "tablename": did you mean "tableName"?'))
  // actions-core's own keys are not settings of open() either; every problem is named at once.
  assert.throws(() => pkg.open({ ...settings, subscription: 'type = "track"', dbname: 'x' }), (e) =>
    e.message.includes('unknown setting "subscription"') && e.message.includes('did you mean "dbName"?'))
  // A key present but undefined is absent, as JSON has it.
  const d = pkg.open({ ...settings, sslCa: undefined })
  await d.ready()
  await d.close()
})

test('bad settings, options or mappings are refused with what is wrong, the password never shown', async () => {
  assert.throws(() => pkg.open({ ...settings, port: 'abc', password: 'Sekr1t-Pw' }), (e) => /port/.test(e.message) && !e.message.includes('Sekr1t-Pw'))
  assert.throws(() => pkg.open(settings, { mappings: {} }), /unknown option "mappings"/)
  assert.throws(() => pkg.open('not settings'), /settings must be an object/)
  const d = pkg.open(settings, { mapping: { messageId: { '@path': 42 } } })
  await assert.rejects(d.ready(), /mapping/)
  await assert.rejects(d.performBatch([track('node-live-bad')]), /mapping/)
  const e = pkg.open(settings, { subscription: '(((type = "track"' })
  await assert.rejects(e.ready(), /invalid subscription/)
  const f = pkg.open(settings)
  await assert.rejects(f.performBatch('x'), /array of events/)
  await f.close()
})

test('a batch larger than a slice: entries in order, and of two copies of a messageId the first is stored', async () => {
  // The package hands a batch to the library in slices of 100, all in flight at once.
  const d = pkg.open(settings)
  await d.ready()
  const events = Array.from({ length: 250 }, (_, i) => track(`node-live-slice-${i}`, { properties: { i } }))
  events[230] = track('node-live-slice-5', { properties: { i: 230 } }) // a copy of event 5, two slices later
  events[120] = { type: 'track', messageId: 'node-live-slice-bad' } // rejected: no event name
  const results = await d.performBatch(events)
  assert.equal(results.length, 250)
  results.forEach((r, i) => {
    const want = i === 120 ? 'rejected' : i === 230 ? 'duplicate' : 'inserted'
    assert.equal(r.body ? r.body.outcome : r.outcome, want, `entry ${i}: ${JSON.stringify(r)}`)
  })
  assert.deepEqual(JSON.parse(sql(`SELECT message FROM ${TABLE} WHERE messageId = 'node-live-slice-5'`)[0][0]).properties, { i: 5 })
  assert.equal(count(TABLE, "messageId LIKE 'node-live-slice-%'"), 248)
  // Calls made one after the other without waiting reach the library in that order too.
  const first = d.performBatch([track('node-live-order', { properties: { call: 1 } })])
  const second = d.performBatch([track('node-live-order', { properties: { call: 2 } })])
  assert.deepEqual([(await first)[0].body.outcome, (await second)[0].body.outcome], ['inserted', 'duplicate'])
  assert.deepEqual(JSON.parse(sql(`SELECT message FROM ${TABLE} WHERE messageId = 'node-live-order'`)[0][0]).properties, { call: 1 })
  await d.close()
})

test('a batch runs off the event loop: timers fire while it is delivered', async () => {
  const d = pkg.open(settings)
  await d.ready()
  const events = Array.from({ length: 3000 }, (_, i) => track(`node-live-loop-${i}`, { properties: { i, text: 'x'.repeat(200) } }))
  let ticks = 0
  const timer = setInterval(() => ticks++, 1)
  const pending = d.performBatch(events)
  const results = await pending
  clearInterval(timer)
  assert.equal(results.filter((r) => r.status === 200).length, 3000)
  assert.ok(ticks > 0, 'no timer fired while the batch ran: the call blocked the event loop')
  await d.close()
})

test('one native destination per settings, reused: many calls, few connections', async () => {
  // The server counts each user's connections (USER_STATISTICS, with userstat on).
  sql('SET GLOBAL userstat = 1')
  const user = createUser('node_reuse', 'Reuse-Pw-1')
  const connections = () => Number((sql("SELECT TOTAL_CONNECTIONS FROM information_schema.USER_STATISTICS WHERE USER = 'node_reuse'")[0] || ['0'])[0])
  const before = connections()
  const t = core.createTestIntegration(pkg.destination)
  for (let i = 0; i < 12; i++) {
    await t.testAction('send', { event: track(`node-live-reuse-${i}`), settings: user, useDefaultMappings: true })
    assert.equal(t.results.find((r) => r.output === 'Action Executed').data.status, 200)
  }
  await t.testBatchAction('send', { events: Array.from({ length: 20 }, (_, i) => track(`node-live-reuse-b${i}`)), settings: user, useDefaultMappings: true })
  assert.deepEqual([...new Set(t.results[0].multistatus.map((e) => e.status))], [200])
  // Settings with their keys in another order and actions-core's own extra keys are the same settings.
  const reordered = Object.fromEntries(Object.entries(user).reverse())
  await new core.Destination(pkg.destination).onBatch([track('node-live-reuse-sub')], { ...reordered, subscription: { partnerAction: 'send', subscribe: 'type = "track"', mapping: defaultMapping() } })
  assert.equal(count(TABLE, "messageId LIKE 'node-live-reuse-%'"), 33)
  const used = connections() - before
  assert.ok(used >= 1 && used <= 2, `${used} connections for 14 calls: want the one destination's pool (at most 2)`)
})

test('the connections are closed when the process exits, without close()', async () => {
  const log = path.join(dbDir, 'error.log')
  const aborted = (user) => fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('Aborted connection') && l.includes(`user: '${user}'`)).length
  const child = (user, ending) => {
    const script = `
      const core = require('@segment/actions-core')
      const pkg = require(${JSON.stringify(packageDir)})
      const settings = ${JSON.stringify(createUser(user, 'Exit-Pw-1'))}
      ;(async () => {
        const d = pkg.open(settings)
        const [r] = await d.performBatch([${JSON.stringify(track(`node-live-exit-${user}`))}])
        const [s] = await new core.Destination(pkg.destination).executeBatch('send', { events: [${JSON.stringify(track(`node-live-exit2-${user}`))}], mapping: ${JSON.stringify(defaultMapping())}, settings })
        if (r.status !== 200 || s.status !== 200) { console.error(JSON.stringify([r, s])); process.exit(3) }
        ${ending}
      })()`
    return spawnSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8', timeout: 60000 })
  }
  const normal = child('node_exit', '')
  assert.equal(normal.status, 0, normal.stderr)
  const explicit = child('node_exit_call', 'process.exit(0)')
  assert.equal(explicit.status, 0, explicit.stderr)
  // The control: a process killed outright leaves its connections to the server to notice.
  const killed = child('node_exit_kill', "process.kill(process.pid, 'SIGKILL')")
  assert.equal(killed.signal, 'SIGKILL', killed.stderr)
  const deadline = Date.now() + 10000
  while (aborted('node_exit_kill') === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  assert.ok(aborted('node_exit_kill') > 0, 'the server did not log the killed process\'s connections: the check cannot see aborts')
  assert.equal(aborted('node_exit'), 0, 'a process that ended normally left connections open')
  assert.equal(aborted('node_exit_call'), 0, 'a process that called process.exit() left connections open')
  assert.equal(count(TABLE, "messageId LIKE 'node-live-exit%'"), 6)
})
