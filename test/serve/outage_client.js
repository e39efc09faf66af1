// Segment's own Node client, @segment/analytics-node, as an app runs it: default settings (its
// own batching, retries and backoff, closeAndFlush's own timeout), only the host pointed at the
// server. Sends N track events (messageIds PREFIX-0, PREFIX-1, ...) at RATE per second and prints
// one JSON line: {"sent":N,"answered":A,"failed":F,"firstError":"..","seconds":S}, where failed
// counts the events whose callback got an error (events the client gave up on).
// usage: node outage_client.js BASE_URL WRITE_KEY N RATE PREFIX
'use strict'
const { Analytics } = require('@segment/analytics-node')
const [base, writeKey, nArg, rateArg, prefix] = process.argv.slice(2)
const n = Number(nArg), rate = Number(rateArg)
const analytics = new Analytics({ writeKey, host: base, path: '/v1/batch' })
let failed = 0, answered = 0, firstError = ''
const done = (err) => {
  answered++
  if (err) { failed++; firstError = firstError || String(err.message || err).slice(0, 200) }
}
;(async () => {
  const t0 = Date.now()
  for (let i = 0; i < n; i++) {
    analytics.track({
      userId: `user-${i % 97}`, messageId: `${prefix}-${i}`, event: 'Order Completed',
      timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000), properties: { i, revenue: i % 1000 },
    }, done)
    if (i % 50 === 49) {
      const wait = t0 + ((i + 1) / rate) * 1000 - Date.now()
      // Behind schedule (a loaded machine) it still yields, so batches go out as they fill.
      await new Promise((r) => (wait > 0 ? setTimeout(r, wait) : setImmediate(r)))
    }
  }
  await analytics.closeAndFlush()
  console.log(JSON.stringify({ sent: n, answered, failed, firstError, seconds: (Date.now() - t0) / 1000 }))
})().catch((e) => { console.log(JSON.stringify({ error: String(e) })); process.exit(1) })
