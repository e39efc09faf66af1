// Segment's own Node client, @segment/analytics-node, sends N events of all six types (messageIds
// PREFIX-0, PREFIX-1, ...) to a server that speaks Segment's tracking API, at a steady rate, and
// prints what it saw as one JSON line: {"sent":N,"clientErrors":E,"seconds":S}.
// usage: node segment_client.js BASE_URL WRITE_KEY N RATE_PER_S PREFIX
'use strict'
const { Analytics } = require('@segment/analytics-node')
const [base, writeKey, nArg, rateArg, prefix] = process.argv.slice(2)
const n = Number(nArg), rate = Number(rateArg)
const analytics = new Analytics({
  writeKey, host: base, path: '/v1/batch', flushAt: 200, flushInterval: 100, maxRetries: 30,
  httpRequestTimeout: 15000,
})
let failed = 0, lastError = ''
analytics.on('error', (e) => { failed++; lastError = String(e && (e.reason || e.message || e.code) || e) })
const kinds = ['track', 'identify', 'page', 'screen', 'group', 'alias']
;(async () => {
  const t0 = Date.now()
  for (let i = 0; i < n; i++) {
    const k = kinds[i % kinds.length], messageId = `${prefix}-${i}`, userId = `user-${i % 97}`
    const common = { userId, messageId, timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000) }
    if (k === 'track') analytics.track({ ...common, event: 'Order Completed', properties: { revenue: i % 1000, currency: 'EUR', i } })
    else if (k === 'identify') analytics.identify({ ...common, traits: { plan: 'pro', i } })
    else if (k === 'page') analytics.page({ ...common, name: 'Home', properties: { path: '/' } })
    else if (k === 'screen') analytics.screen({ ...common, name: 'Main' })
    else if (k === 'group') analytics.group({ ...common, groupId: `g-${i % 13}`, traits: { size: i } })
    else analytics.alias({ ...common, previousId: `anon-${i}` })
    if (rate > 0 && i % 100 === 99) {
      const due = t0 + ((i + 1) / rate) * 1000, wait = due - Date.now()
      // Behind schedule (a loaded machine) it still yields, so batches go out as they fill.
      await new Promise((r) => (wait > 0 ? setTimeout(r, wait) : setImmediate(r)))
    }
  }
  await analytics.closeAndFlush({ timeout: 170000 })
  console.log(JSON.stringify({ sent: n, clientErrors: failed, lastError, seconds: (Date.now() - t0) / 1000 }))
})().catch((e) => { console.log(JSON.stringify({ error: String(e) })); process.exit(1) })
