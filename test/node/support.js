'use strict'
// What the Node package's tests share: the host's @segment/actions-core (installed here by
// scripts/setup), the package the build made, the fixture's settings and root SQL over its socket.
// A missing piece fails the test with what to do; nothing is skipped.
const fs = require('fs')
const path = require('path')
const { execFileSync } = require('child_process')

function need(name, hint) {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set: ${hint}`)
  return value
}

let core
try {
  core = require('@segment/actions-core')
} catch (e) {
  throw new Error(`@segment/actions-core is not installed in test/node (run scripts/setup): ${e.message.split('\n')[0]}`)
}

const packageDir = need('ACTIONS_NODE_PACKAGE', 'the directory of the built Node package (<build>/node); run through ctest')
const pkg = require(packageDir)
const dbDir = need('ACTIONS_TEST_DB_DIR', 'the directory of the test MariaDB (CTest fixture "db")')
const baseSettings = JSON.parse(fs.readFileSync(need('ACTIONS_TEST_SETTINGS', 'the settings of the test MariaDB'), 'utf8'))

// The fixture's settings writing into a table of the test's own.
function settingsFor(tableName, extra = {}) {
  return { ...baseSettings, tableName, ...extra }
}

// Root SQL on the fixture's server; the result's rows as arrays of strings.
function sql(query, database = baseSettings.dbName) {
  const out = execFileSync('mariadb', ['--no-defaults', '-uroot', '-S', path.join(dbDir, 'mysql.sock'), '-N', '-B', database, '-e', query]).toString()
  return out.split('\n').filter((l) => l.length).map((l) => l.split('\t'))
}

function count(table, where = '1') {
  return Number(sql(`SELECT COUNT(*) FROM \`${table}\` WHERE ${where}`)[0][0])
}

function dropTable(table) {
  sql(`DROP TABLE IF EXISTS \`${table}\``)
}

// The action's default mapping, as a Segment destination's UI would preset it.
function defaultMapping(definition = pkg.destination) {
  return Object.fromEntries(Object.entries(definition.actions.send.fields).filter(([, f]) => f.default !== undefined).map(([k, f]) => [k, f.default]))
}

function track(messageId, extra = {}) {
  return { type: 'track', event: 'Order Completed', messageId, timestamp: '2026-03-01T12:00:00.123Z', userId: 'u1', properties: { total: 42 }, ...extra }
}

module.exports = { core, pkg, packageDir, dbDir, baseSettings, settingsFor, sql, count, dropTable, defaultMapping, track }
