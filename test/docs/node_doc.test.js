'use strict'
// docs/node.md's two examples, taken from the page at test time and run as written against the
// fixture's MariaDB: "From actions-core" inside Segment's own runtime (test/node's
// @segment/actions-core), and "From plain Node" through open(). What the page says in its
// comments is what is asserted: one entry per event, 200 inserted or duplicate, skipped events
// with their reason, check() answering {ok: true}.
//
// Only what names the reader's own server is swapped: the package path, and the settings'
// port, password, database and table (a table of this test's own). The page's free names get
// values of the kind the page means: `event` one Segment event and `events` a batch of them, from
// scripts/gen-events; the second example's `settings` are the first's. An edit that breaks an
// example, renames what it returns or changes its outcomes fails here.
const { test, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('fs')
const path = require('path')
const { execFileSync } = require('child_process')
const { createRequire } = require('module')
const { pkg, packageDir, settingsFor, sql, count, dropTable } = require('../node/support')

const source = process.env.ACTIONS_SOURCE_DIR
if (!source) throw new Error('ACTIONS_SOURCE_DIR is not set: run through ctest (test/docs/CMakeLists.txt)')
const page = fs.readFileSync(path.join(source, 'docs', 'node.md'), 'utf8')
// The examples require('@segment/actions-core') as a host program does: from the test host.
const hostRequire = createRequire(path.join(source, 'test', 'node', 'package.json'))

// The first ```js block after a heading.
function example(heading) {
  const at = page.indexOf(`\n## ${heading}\n`)
  assert.notEqual(at, -1, `docs/node.md has no section "## ${heading}"`)
  const m = /\n```js\n([\s\S]*?)\n```\n/.exec(page.slice(at))
  assert.ok(m, `docs/node.md's section "${heading}" has no js block`)
  return m[1]
}

// Replaces exactly one occurrence of `pattern` in the example, or fails saying what it missed.
function swap(code, pattern, replacement, what) {
  const hits = code.match(new RegExp(pattern.source, 'g')) || []
  assert.equal(hits.length, 1, `the example's ${what} (${pattern}) is not where the test looks for it`)
  return code.replace(pattern, replacement)
}

// The example as an async function of the names it leaves free; it returns the names the
// test checks (undefined for one the example no longer defines).
function runnable(code, free, returned) {
  const AsyncFunction = (async () => {}).constructor
  const result = returned.map((n) => `${n}: typeof ${n} === 'undefined' ? undefined : ${n}`).join(', ')
  return new AsyncFunction('require', 'console', ...free, `${code}\nreturn { ${result} }`)
}

function generated(count, seed) {
  const text = execFileSync(path.join(source, 'scripts', 'gen-events'), [String(count), '--seed', String(seed)], { maxBuffer: 1 << 28 }).toString()
  return text.trim().split('\n').map((line) => JSON.parse(line))
}

const tables = []
function freshTable(name) {
  const table = `${name}_${process.pid}`
  dropTable(table)
  tables.push(table)
  return table
}
after(async () => {
  await pkg.closeAll()
  for (const t of tables) dropTable(t)
})

function docRequire(name) {
  return hostRequire(name)
}

test('"From actions-core" runs as written: executeBatch stores every event once', async () => {
  const table = freshTable('docs_node_core')
  const ours = settingsFor(table)
  let code = example('From actions-core')
  code = swap(code, /'\/path\/to\/build\/node'/, JSON.stringify(packageDir), 'package path')
  code = swap(code, /\bport: \d+/, `port: ${ours.port}`, 'port')
  code = swap(code, /\bpassword: '[^']*'/, `password: ${JSON.stringify(ours.password)}`, 'password')
  code = swap(code, /\bdbName: '[^']*'/, `dbName: ${JSON.stringify(ours.dbName)}`, 'dbName')
  code = swap(code, /\btableName: '[^']*'/, `tableName: ${JSON.stringify(table)}`, 'tableName')
  code = swap(code, /\bhost: '[^']*'/, `host: ${JSON.stringify(ours.host)}`, 'host')
  code = swap(code, /\busername: '[^']*'/, `username: ${JSON.stringify(ours.username)}`, 'username')

  const events = generated(300, 27)
  const event = generated(40, 28).find((e) => e.type === 'track')
  const run = runnable(code, ['event', 'events'], ['statuses', 'choices', 'settings'])
  const got = await run(docRequire, console, event, events)

  // "one entry per event: {status: 200, body: {outcome: 'inserted' | 'duplicate'}, sent}"
  assert.ok(Array.isArray(got.statuses), 'the example no longer gives `statuses`')
  assert.equal(got.statuses.length, events.length)
  const failed = got.statuses.map((s, i) => [i, s]).filter(([, s]) => s.status !== 200)
  assert.deepEqual(failed.slice(0, 3), [], `${failed.length} of ${events.length} events failed`)
  for (const s of got.statuses) {
    assert.equal(s.body.outcome, 'inserted')
    assert.ok(s.sent && typeof s.sent === 'object', 'an entry without `sent`')
  }
  // testAction stored `event`; executeBatch every event; onBatch's track events were there.
  const ids = events.map((e) => e.messageId)
  assert.equal(new Set(ids).size, ids.length)
  assert.equal(count(table), events.length + 1)
  assert.equal(count(table, `messageId = '${event.messageId}'`), 1)
  assert.ok(got.choices.some((c) => c.value === ours.dbName), `choices ${JSON.stringify(got.choices)} lack ${ours.dbName}`)
})

test('"From plain Node" runs as written: track events stored, the rest skipped with a reason', async () => {
  const table = freshTable('docs_node_plain')
  const settings = settingsFor(table)
  const code = example('From plain Node')
  const swapped = swap(code, /'\/path\/to\/build\/node'/, JSON.stringify(packageDir), 'package path')
  const events = generated(200, 29)
  const logged = []
  const capture = { ...console, log: (...args) => logged.push(args) }
  const run = runnable(swapped, ['settings', 'events'], ['results'])
  const got = await run(docRequire, capture, settings, events)

  // "[{status: 200, body: {outcome: 'inserted'}}, {status: 200, body: {outcome: 'skipped', reason}}, ...]"
  assert.ok(Array.isArray(got.results), 'the example no longer gives `results`')
  assert.equal(got.results.length, events.length)
  const tracks = events.filter((e) => e.type === 'track').length
  assert.ok(tracks > 0 && tracks < events.length, 'the generated batch should mix track with other events')
  got.results.forEach((r, i) => {
    assert.equal(r.status, 200, `event ${i}: ${JSON.stringify(r)}`)
    if (events[i].type === 'track') {
      assert.equal(r.body.outcome, 'inserted')
    } else {
      assert.equal(r.body.outcome, 'skipped')
      assert.match(r.body.reason, /subscription/)
    }
  })
  assert.equal(count(table), tracks)
  // "console.log(await d.check())   // {ok: true} when the database answers"
  assert.deepEqual(logged, [[{ ok: true }]])
})
