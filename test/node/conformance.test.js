'use strict'
// The recorded Send Data events (test/conformance/send-data, from Segment's own pipeline) driven
// through actions-core's executeBatch into the package: every event's status agrees with what
// upstream made of it, each valid messageId lands once, and running it all again changes nothing.
const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('fs')
const path = require('path')
const { core, pkg, settingsFor, sql, count, dropTable, defaultMapping } = require('./support')

const TABLE = 'node_conformance'
const settings = settingsFor(TABLE)
const dir = path.join(__dirname, '..', 'conformance', 'send-data')
const lines = fs.readFileSync(path.join(dir, 'events.ndjson'), 'utf8').split('\n').filter((l) => l.length)
const expected = fs.readFileSync(path.join(dir, 'expected.jsonl'), 'utf8').split('\n').filter((l) => l.length).map((l) => JSON.parse(l))

// actions-core takes objects: lines that are not JSON objects never reach it.
const events = []
const index = []
lines.forEach((line, i) => {
  try {
    const e = JSON.parse(line)
    if (e && typeof e === 'object' && !Array.isArray(e)) {
      events.push(e)
      index.push(i)
    }
  } catch (_) {}
})

const dest = new core.Destination(pkg.destination)
const mapping = defaultMapping()

async function runAll() {
  const statuses = []
  for (let s = 0; s < events.length; s += 500) {
    const res = await dest.executeBatch('send', { events: events.slice(s, s + 500), mapping, settings })
    for (const r of res) statuses.push(r.status)
  }
  return statuses
}

before(() => dropTable(TABLE))
after(() => pkg.closeAll())

test('the recorded events: statuses agree with upstream, one row per valid messageId, a repeat changes nothing', async () => {
  assert.equal(lines.length, 2000)
  await core.createTestIntegration(pkg.destination).testAuthentication(settings)
  const first = await runAll()
  assert.equal(first.length, events.length)
  const wrong = []
  const stored = new Set()
  first.forEach((status, j) => {
    const want = expected[index[j]]
    if (want.ok && status !== 200) wrong.push(`event ${index[j]}: status ${status}, upstream accepts it`)
    if (!want.ok && status < 400) wrong.push(`event ${index[j]}: status ${status}, upstream rejects it (${want.error})`)
    if (want.ok) stored.add(want.payload.messageId)
  })
  assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} statuses differ`)
  assert.ok(stored.size > 1000, `${stored.size} distinct valid messageIds`)
  assert.equal(count(TABLE), stored.size)
  // A sample of rows holds what upstream made of its event.
  for (const j of [0, 1, 2, 3, 10, 100, 1000].map((k) => index.findIndex((i) => expected[i].ok && i >= k))) {
    const want = expected[index[j]].payload
    const [[type, event, message]] = sql(`SELECT type, IFNULL(event, ''), message FROM ${TABLE} WHERE messageId = '${want.messageId.replace(/'/g, "''")}'`)
    assert.equal(type, want.type)
    assert.equal(event, want.event || '')
    assert.equal(JSON.parse(message).messageId, want.message.messageId)
  }

  const again = await runAll()
  assert.equal(count(TABLE), stored.size)
  assert.deepEqual(again.map((s, j) => (first[j] === 200 ? s : 200)).filter((s) => s !== 200), [], 'a repeat answers 200 for every event delivered before')
})
