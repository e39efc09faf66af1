'use strict'
// What the Node package adds to Segment's own runtime: events/s through @segment/actions-core's
// executeBatch (mapping, empty-value removal, validation, performBatch) with the package's
// performBatch storing the rows, against the same pipeline with a no-op performBatch that answers
// every payload 200 and stores nothing. One process, the same events, batches as Segment sends,
// the two pipelines taking turns batch by batch.
// IN_FLIGHT executeBatch calls run at once (default 1, one after another): a host runtime serving
// several requests keeps more than one in flight, and then one batch's database write overlaps the
// mapping of the next, which a single caller waiting on each call cannot have.
// usage: node bench/node_package.js PKG_DIR SETTINGS.json EVENTS.ndjson [BATCH] [IN_FLIGHT]
// Prints one JSON line: {"events":N,"batch":B,"inFlight":C,"noop_s":..,"package_s":..,"statuses":{..}}
const fs = require('fs')
const path = require('path')

const [pkgDir, settingsFile, eventsFile, batchArg, inFlightArg] = process.argv.slice(2)
const core = require(require.resolve('@segment/actions-core', { paths: [path.join(__dirname, '..', 'test', 'node')] }))
const pkg = require(path.resolve(pkgDir))
pkg.useActionsCore(core)
const batch = Number(batchArg || 1000)
const inFlight = Number(inFlightArg || 1)
const settings = { ...JSON.parse(fs.readFileSync(settingsFile, 'utf8')), tableName: 'node_package_bench' }
const events = fs.readFileSync(eventsFile, 'utf8').split('\n').filter((l) => l.length).map((l) => JSON.parse(l))
const fields = pkg.destination.actions.send.fields
const mapping = Object.fromEntries(Object.entries(fields).filter(([, f]) => f.default !== undefined).map(([k, f]) => [k, f.default]))

const noop = {
  ...pkg.destination,
  actions: {
    send: {
      ...pkg.destination.actions.send,
      performBatch: async (_request, { payload }) => {
        const response = new core.MultiStatusResponse()
        payload.forEach((p, i) => response.setSuccessResponseAtIndex(i, { status: 200, body: {}, sent: p }))
        return response
      }
    }
  }
}

// Runs the batches through a pipeline with at most IN_FLIGHT executeBatch calls at once: each call
// that ends starts the next batch, as a host's requests keep coming.
async function through(pipeline, batches, statuses) {
  let next = 0
  const worker = async () => {
    while (next < batches.length) {
      const results = await pipeline.executeBatch('send', { events: batches[next++], mapping, settings })
      if (statuses) for (const r of results) statuses[r.status] = (statuses[r.status] || 0) + 1
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, batches.length) }, worker))
}

// Both pipelines over the same events, a round of batches of each in turn (which goes first
// alternates), so that on a busy machine they meet the same load; the time of each is summed apart.
async function run(list) {
  const pipelines = [new core.Destination(noop), new core.Destination(pkg.destination)]
  const seconds = [0, 0]
  const statuses = {}
  const step = batch * Math.max(10, 4 * inFlight)
  for (let s = 0, k = 0; s < list.length; s += step, k++) {
    const round = []
    for (let b = s; b < Math.min(s + step, list.length); b += batch) round.push(list.slice(b, b + batch))
    for (const which of k % 2 ? [1, 0] : [0, 1]) {
      const t0 = process.hrtime.bigint()
      await through(pipelines[which], round, which === 1 ? statuses : null)
      seconds[which] += Number(process.hrtime.bigint() - t0) / 1e9
    }
  }
  return { noop: seconds[0], package: seconds[1], statuses }
}

;(async () => {
  // Warm-up, untimed and not stored: JIT, the table, the native destination's connections.
  await run(events.slice(0, batch).map((e, i) => ({ ...e, messageId: `warm-up-${i}` })))
  const timed = await run(events)
  await pkg.closeAll()
  console.log(JSON.stringify({ events: events.length, batch, inFlight, noop_s: timed.noop, package_s: timed.package, statuses: timed.statuses }))
})().catch((e) => {
  console.error(`node_package bench: ${e.stack || e}`)
  process.exit(1)
})
