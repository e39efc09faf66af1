'use strict'
// The package inside Segment's own runtime: @segment/actions-core runs the definition against the
// test MariaDB (createTestIntegration, Destination.onBatch), as action-destinations' tests do.
const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { core, pkg, settingsFor, sql, count, dropTable, defaultMapping, track } = require('./support')

const TABLE = 'node_core'
const settings = settingsFor(TABLE)

before(() => dropTable(TABLE))
after(() => pkg.closeAll())

test('the definition has the settings, the send action and its fields as the library describes them', () => {
  const d = pkg.destination
  assert.equal(d.slug, 'actions-singlestore')
  assert.equal(d.mode, 'cloud')
  assert.equal(d.authentication.scheme, 'custom')
  assert.deepEqual(Object.keys(d.authentication.fields).sort(), ['dbName', 'host', 'password', 'port', 'sslCa', 'sslMode', 'tableName', 'username'])
  assert.equal(d.authentication.fields.password.type, 'password')
  const send = d.actions.send
  assert.equal(send.title, 'Send Data')
  assert.match(send.defaultSubscription, /^type = "track" or type = "identify"/)
  assert.deepEqual(Object.keys(send.fields).sort(), ['database', 'enable_batching', 'event', 'max_batch_size', 'message', 'messageId', 'timestamp', 'type'])
  assert.equal(send.fields.database.dynamic, true)
  for (const fn of [send.perform, send.performBatch, send.dynamicFields.database, d.authentication.testAuthentication]) assert.equal(typeof fn, 'function')
})

test('testAuthentication passes with the right password and creates the table', async () => {
  const t = core.createTestIntegration(pkg.destination)
  await t.testAuthentication(settings)
  assert.equal(sql(`SHOW TABLES LIKE '${TABLE}'`).length, 1)
})

test('testAuthentication refuses a wrong password and does not echo it', async () => {
  const t = core.createTestIntegration(pkg.destination)
  await assert.rejects(t.testAuthentication({ ...settings, password: 'Wr0ngPassw0rd!' }), (e) => {
    assert.match(e.message, /Credentials are invalid/)
    assert.match(e.message, /Access denied/)
    assert.doesNotMatch(e.message, /Wr0ngPassw0rd/)
    return true
  })
})

test('testAction delivers one event through perform, once', async () => {
  const t = core.createTestIntegration(pkg.destination)
  const event = track('node-core-action-1')
  await t.testAction('send', { event, settings, useDefaultMappings: true })
  const executed = t.results.find((r) => r.output === 'Action Executed')
  assert.equal(executed.data.status, 200)
  assert.equal(executed.data.body.outcome, 'inserted')
  assert.deepEqual(sql(`SELECT type, event, DATE_FORMAT(timestamp, '%Y-%m-%d %H:%i:%s.%f'), JSON_VALUE(message, '$.properties.total') FROM ${TABLE} WHERE messageId = 'node-core-action-1'`),
    [['track', 'Order Completed', '2026-03-01 12:00:00.123000', '42']])
  await t.testAction('send', { event, settings, useDefaultMappings: true })
  assert.equal(t.results.find((r) => r.output === 'Action Executed').data.body.outcome, 'duplicate')
  assert.equal(count(TABLE, "messageId = 'node-core-action-1'"), 1)
})

test('perform throws the actions-core error of the status: the library\'s own checks, authentication', async () => {
  const t = core.createTestIntegration(pkg.destination)
  // Valid for actions-core, refused by the destination: a messageId longer than its column.
  const long = 'x'.repeat(300)
  await assert.rejects(t.testAction('send', { event: track(long), settings, useDefaultMappings: true }), (e) => {
    assert.ok(e instanceof core.IntegrationError, `an IntegrationError, not ${e.constructor.name}`)
    assert.equal(e.status, 400)
    assert.match(e.message, /Message ID must be at most 255 characters/)
    return true
  })
  assert.equal(count(TABLE, `messageId = '${long}'`), 0)
  await assert.rejects(t.testAction('send', { event: track('node-core-auth'), settings: { ...settings, password: 'Wr0ngPassw0rd!' }, useDefaultMappings: true }), (e) => {
    assert.ok(e instanceof core.InvalidAuthenticationError, `an InvalidAuthenticationError, not ${e.constructor.name}: ${e.message}`)
    assert.equal(e.status, 401)
    assert.doesNotMatch(e.message, /Wr0ngPassw0rd/)
    return true
  })
})

test('testBatchAction: one multi-status entry per event, each with its own outcome', async () => {
  const t = core.createTestIntegration(pkg.destination)
  const events = [
    track('node-core-batch-1'),
    { type: 'identify', messageId: 'node-core-batch-2', timestamp: '2026-03-01T12:00:01Z', userId: 'u2', traits: { plan: 'pro' } },
    track('node-core-batch-1'), // a second copy in the same batch
    track('node-core-batch-3', { timestamp: 'not a date' }), // refused by actions-core's validation
    track('y'.repeat(300)), // refused by the destination's own check
    track('node-core-action-1') // stored by an earlier test
  ]
  await t.testBatchAction('send', { events, settings, useDefaultMappings: true })
  const entries = t.results[0].multistatus
  assert.equal(entries.length, events.length)
  assert.deepEqual(entries.map((e) => e.status), [200, 200, 200, 400, 400, 200])
  assert.deepEqual([0, 1, 2, 5].map((i) => entries[i].body.outcome), ['inserted', 'inserted', 'duplicate', 'duplicate'])
  assert.equal(entries[3].errorreporter, 'INTEGRATIONS')
  assert.equal(entries[4].errortype, 'PAYLOAD_VALIDATION_FAILED')
  assert.equal(entries[4].errorreporter, 'DESTINATION')
  assert.match(entries[4].errormessage, /Message ID must be at most 255 characters/)
  assert.equal(entries[0].sent.messageId, 'node-core-batch-1')
  assert.equal(count(TABLE, "messageId IN ('node-core-batch-1', 'node-core-batch-2', 'node-core-batch-3')"), 2)
})

test('onBatch with a subscription: subscribed events delivered, the others answered as not subscribed', async () => {
  const dest = new core.Destination(pkg.destination)
  const events = [
    track('node-core-sub-1'),
    { type: 'page', name: 'Home', messageId: 'node-core-sub-2', timestamp: '2026-03-01T12:00:02Z', anonymousId: 'a1' },
    track('node-core-sub-3', { event: 'Signed Up' })
  ]
  const subscription = { partnerAction: 'send', subscribe: 'type = "track"', mapping: defaultMapping() }
  const [result] = await dest.onBatch(events, { ...settings, subscription })
  assert.deepEqual(result.multistatus.map((e) => e.status), [200, 400, 200])
  assert.match(result.multistatus[1].errormessage, /does not match the subscription/)
  assert.deepEqual(sql(`SELECT messageId, event FROM ${TABLE} WHERE messageId LIKE 'node-core-sub-%' ORDER BY messageId`),
    [['node-core-sub-1', 'Order Completed'], ['node-core-sub-3', 'Signed Up']])
})

test('testDynamicField lists the databases the user can write to', async () => {
  const t = core.createTestIntegration(pkg.destination)
  const answer = await t.testDynamicField('send', 'database', { settings, payload: {} })
  assert.ok(answer.choices.some((c) => c.value === settings.dbName && c.label === settings.dbName), JSON.stringify(answer))
  assert.equal(answer.error, undefined)
  const refused = await t.testDynamicField('send', 'database', { settings: { ...settings, password: 'Wr0ngPassw0rd!' }, payload: {} })
  assert.deepEqual(refused.choices, [])
  assert.ok(refused.error && refused.error.message, JSON.stringify(refused))
  assert.doesNotMatch(JSON.stringify(refused), /Wr0ngPassw0rd/)
})
