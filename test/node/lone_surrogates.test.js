'use strict'
// A string cut inside an emoji is a JavaScript string like any other: JSON.stringify writes its
// lone half as "\ud83d" and JSON.parse reads it back. Through both of the package's APIs such an
// event costs at most itself; the other events of the batch are stored, and their rows read back
// in JavaScript as the events that were sent.
const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { core, pkg, settingsFor, sql, dropTable, defaultMapping, track } = require('./support')

const TABLE = 'node_lone_surrogates'
const settings = settingsFor(TABLE)

before(() => dropTable(TABLE))
after(() => pkg.closeAll())

const CUT = 7
const cutTitle = 'Grinning 😀'.slice(0, -1) // ends with the lone high surrogate \ud83d

// Twenty events as analytics-node batches them; one of them has its title cut inside an emoji.
function batch(prefix) {
  return Array.from({ length: 20 }, (_, i) =>
    track(`${prefix}-${i}`, { properties: { title: i === CUT ? cutTitle : `Title ${i} 😀`, hangul: '\ud7ff', i } }))
}

// Each stored message by messageId: the column's bytes, decoded and parsed as JavaScript does.
function storedMessages(prefix) {
  const rows = sql(`SELECT messageId, HEX(message) FROM \`${TABLE}\` WHERE messageId LIKE '${prefix}-%'`)
  return new Map(rows.map(([id, hex]) => [id, JSON.parse(Buffer.from(hex, 'hex').toString('utf8'))]))
}

function expectStoredAsSent(prefix, events) {
  const stored = storedMessages(prefix)
  assert.equal(stored.size, events.length - 1)
  events.forEach((e, i) => {
    if (i === CUT) assert.equal(stored.has(e.messageId), false)
    else assert.deepEqual(stored.get(e.messageId), e)
  })
}

test('open().performBatch answers the cut event alone and stores the other nineteen', async () => {
  assert.equal(JSON.stringify(cutTitle), '"Grinning \\ud83d"')
  const d = pkg.open(settings)
  const events = batch('node-lone-open')
  const results = await d.performBatch(events)
  assert.deepEqual(results.map((r) => r.status), events.map((_, i) => (i === CUT ? 400 : 200)))
  assert.match(results[CUT].errormessage, /half of a character \(the lone surrogate \\ud83d in properties\.title\)/)
  expectStoredAsSent('node-lone-open', events)
  await d.close()
})

test('inside actions-core (executeBatch over the definition) the cut event is answered alone', async () => {
  const dest = new core.Destination(pkg.destination)
  const events = batch('node-lone-core')
  const results = await dest.executeBatch('send', { events, mapping: defaultMapping(), settings })
  assert.equal(results.length, events.length)
  assert.deepEqual(results.map((r) => r.status), events.map((_, i) => (i === CUT ? 400 : 200)))
  assert.match(results[CUT].errormessage, /lone surrogate \\ud83d in properties\.title/)
  expectStoredAsSent('node-lone-core', events)
})
