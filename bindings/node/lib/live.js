'use strict'
// Live destinations: native handles (the plugin's open_destination) that keep their connections
// and compiled mapping across calls. Each call runs off the event loop and answers with a Promise.
const native = require('./native')
const { refusal } = require('./errors')

const SETTINGS_KEYS = Object.keys(JSON.parse(native.describe()).authentication.fields)
const OPEN_OPTIONS = ['mapping', 'subscription', 'dryRun', 'batchSize', 'parallel', 'retryForMs']

// The destination's own settings out of what a host passes: actions-core's settings also carry
// `subscription`, `oauth` and the like, which the library would refuse as unknown keys.
function destinationSettings(settings) {
  if (!settings || typeof settings !== 'object' || Array.isArray(settings)) throw new TypeError('settings must be an object')
  const out = {}
  for (const key of SETTINGS_KEYS.slice().sort()) if (settings[key] !== undefined) out[key] = settings[key]
  return out
}

// The settings of open() as given, checked as the command line checks a settings file: every
// problem named, an unknown or misspelt key among them with the key meant ("ssl_mode": did you
// mean "sslMode"?), so that a setting is never dropped unseen. Keys left undefined are absent.
function checkedSettings(settings) {
  if (!settings || typeof settings !== 'object' || Array.isArray(settings)) throw new TypeError('settings must be an object')
  const given = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined))
  const answer = JSON.parse(native.validateSettings(JSON.stringify(given)))
  if (!answer.ok) throw new Error(refusal({ error: 'invalid settings', problems: answer.problems }, 'actions-singlestore'))
  return given
}

async function openHandle(request) {
  const opened = await native.open(JSON.stringify(request))
  if (typeof opened === 'string') throw new Error(refusal(JSON.parse(opened), 'actions-singlestore cannot open the destination'))
  return opened
}

async function call(promise, what) {
  const answer = JSON.parse(await promise)
  if (!answer.ok) throw new Error(refusal(answer, what))
  return answer
}

// One handle per distinct settings for the definition's perform / performBatch: the key is the
// settings' canonical JSON (keys sorted). A failed open is forgotten, so a later call tries again.
const shared = new Map()

function sharedHandle(settings) {
  const picked = destinationSettings(settings)
  const key = JSON.stringify(picked)
  let handle = shared.get(key)
  if (!handle) {
    handle = openHandle({ action: 'send', settings: picked })
    shared.set(key, handle)
    handle.catch(() => shared.delete(key))
  }
  return handle
}

// A batch handed to the library in slices, all in flight at once: the library resolves a slice
// and starts writing it while JavaScript writes the next one out as JSON, so the two run side by
// side instead of one after the other. A handle's slices reach the library in the order they are
// given (the addon keeps it), so the first copy of a messageId is still the one stored. The
// entries come back in order, one per item.
const SLICE = 100

async function performInSlices(handle, key, items, extra, what) {
  const calls = []
  for (let i = 0; i < items.length || i === 0; i += SLICE) {
    calls.push(call(native.performBatch(handle, JSON.stringify({ ...extra, [key]: items.slice(i, i + SLICE) })), what))
  }
  const answers = await Promise.all(calls)
  return answers.length === 1 ? answers[0].results : answers.flatMap((a) => a.results)
}

// Delivers payloads already mapped and validated by the host; the library's multi-status
// entries, one per payload. The host keeps its payloads: the entries leave them out ("sent").
async function deliverPayloads(settings, payloads) {
  const handle = await sharedHandle(settings)
  return performInSlices(handle, 'payloads', payloads, { sent: false }, 'actions-singlestore could not deliver the batch')
}

// Closes the shared handles (they are also closed when the process exits).
async function closeShared() {
  const handles = [...shared.values()]
  shared.clear()
  await Promise.all(handles.map((h) => h.then((x) => native.close(x), () => {})))
}

// The lower-level API for Node hosts that do not use actions-core: the library maps, validates,
// matches the subscription and delivers.
class LiveDestination {
  constructor(settings, options = {}) {
    const request = { action: 'send', settings: checkedSettings(settings) }
    for (const key of Object.keys(options)) {
      if (!OPEN_OPTIONS.includes(key)) throw new TypeError(`unknown option "${key}" (known: ${OPEN_OPTIONS.join(', ')})`)
      if (options[key] !== undefined) request[key] = options[key]
    }
    this._handle = openHandle(request)
    this._opened = null  // the handle, once open: calls then read their arguments at once
    this._handle.then((h) => { this._opened = h }, () => {})  // a failure is reported by the first call that needs it
    this._closed = false
    this._inFlight = new Set()  // calls made before close(), which it lets finish
  }

  // Resolves once the native destination is open; rejects with why it could not be.
  async ready() {
    await this._handle
  }

  // Runs `body(handle)` as a call of this destination: refused once close() has begun.
  _call(body) {
    if (this._closed) return Promise.reject(new Error('actions-singlestore: the destination is closed'))
    let running
    if (this._opened) {
      try {
        running = body(this._opened)
      } catch (e) {
        running = Promise.reject(e)
      }
    } else {
      running = this._handle.then(body)
    }
    this._inFlight.add(running)
    const done = () => this._inFlight.delete(running)
    running.then(done, done)
    return running
  }

  // Segment events in, one multi-status entry per event out, in order.
  async performBatch(events) {
    if (!Array.isArray(events)) throw new TypeError('performBatch needs an array of events')
    return this._call((handle) => performInSlices(handle, 'events', events, {}, 'actions-singlestore could not run the batch'))
  }

  // {ok: true} when the database answers now, else {ok: false, error}.
  async check() {
    return JSON.parse(await this._call((handle) => native.check(handle)))
  }

  // Waits for the calls in flight, then closes the connections. Later calls are refused.
  async close() {
    if (this._closed) return
    this._closed = true
    await Promise.allSettled([...this._inFlight])
    let handle
    try {
      handle = await this._handle
    } catch (_) {
      return
    }
    await native.close(handle)
  }
}

function open(settings, options) {
  return new LiveDestination(settings, options)
}

module.exports = { open, LiveDestination, deliverPayloads, closeShared, destinationSettings, call }
