// Posts the events of an NDJSON file to `serve` as Segment's sources post them, over keep-alive
// connections, and prints one JSON line: events, time, events/s and request latency percentiles.
// PATH says which source: /v1/batch (server libraries: {"batch":[...]}, application/json), /v1/b
// (analytics.js's batching strategy and the mobile SDKs: {"writeKey","batch","sentAt"},
// text/plain) or a single-event path such as /v1/t (analytics.js's standard delivery: one event a
// request, text/plain; BATCH is then 1). The lines are joined as they are. Requests answered
// 429 / 503 are sent again after their Retry-After, as Segment's clients do, and counted.
// usage: node serve_load.js URL WRITE_KEY EVENTS_FILE BATCH CONCURRENCY [RATE_EVENTS_PER_S] [PATH]
//   RATE 0 or absent: as fast as the server answers; otherwise requests start on that schedule.
'use strict'
const fs = require('fs')
const http = require('http')
const [url, writeKey, file, batchArg, concArg, rateArg, pathArg] = process.argv.slice(2)
const path = pathArg || '/v1/batch'
const single = path !== '/v1/batch' && path !== '/v1/b' && path !== '/v1/import'
const batch = single ? 1 : Number(batchArg), concurrency = Number(concArg), rate = Number(rateArg || 0)
const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '')
const bodies = []
for (let i = 0; i < lines.length; i += batch) {
  const events = lines.slice(i, i + batch).join(',')
  if (single) bodies.push(Buffer.from(lines[i]))
  else if (path === '/v1/b') bodies.push(Buffer.from(`{"writeKey":${JSON.stringify(writeKey)},"batch":[${events}],"sentAt":"${new Date().toISOString()}"}`))
  else bodies.push(Buffer.from('{"batch":[' + events + ']}'))
}
const contentType = path === '/v1/batch' || path === '/v1/import' ? 'application/json' : 'text/plain'
const target = new URL(url + path)
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
const auth = 'Basic ' + Buffer.from(writeKey + ':').toString('base64')
const latencies = [], statuses = {}
let retries = 0, next = 0

function post(body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST',
      headers: { 'Content-Type': contentType, 'Content-Length': body.length, Authorization: auth } }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode, retryAfter: Number(res.headers['retry-after'] || 1) }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

async function worker(t0) {
  for (;;) {
    const i = next++
    if (i >= bodies.length) return
    if (rate > 0) {
      const due = t0 + ((i * batch) / rate) * 1000, wait = due - Date.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    }
    for (;;) {
      const start = process.hrtime.bigint()
      const { status, retryAfter } = await post(bodies[i])
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6)
      statuses[status] = (statuses[status] || 0) + 1
      if (status === 200) break
      if (status !== 429 && status !== 503) throw new Error(`HTTP ${status}`)
      retries++
      await new Promise((r) => setTimeout(r, retryAfter * 1000))
    }
  }
}

;(async () => {
  const t0 = Date.now()
  await Promise.all(Array.from({ length: concurrency }, () => worker(t0)))
  const seconds = (Date.now() - t0) / 1000
  latencies.sort((a, b) => a - b)
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]
  console.log(JSON.stringify({ events: lines.length, requests: latencies.length, seconds, eventsPerSec: lines.length / seconds,
    p50ms: pct(50), p99ms: pct(99), maxms: latencies[latencies.length - 1], retries, statuses }))
  agent.destroy()
})().catch((e) => { console.error(String(e)); process.exit(1) })
