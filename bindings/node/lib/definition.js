'use strict'
// The DestinationDefinition for @segment/actions-core. Its fields, settings, presets and
// defaultSubscription are the library's own definition (describe()), so the two never differ;
// perform and performBatch hand actions-core's payloads to a live native destination as they are.
const native = require('./native')
const { actionsCore } = require('./host')
const { errorFor, refusal } = require('./errors')
const live = require('./live')

const described = JSON.parse(native.describe())
const send = described.actions.send

function isSuccess(entry) {
  return entry.status >= 200 && entry.status < 300
}

function failureOf(entry) {
  return { status: entry.status, errortype: entry.errortype, message: entry.errormessage || entry.error || `failed with status ${entry.status}` }
}

async function testAuthentication(_request, { settings }) {
  const answer = JSON.parse(await native.testAuthentication(JSON.stringify(live.destinationSettings(settings))))
  if (answer.ok) return true
  if (answer.problems) throw new (actionsCore().IntegrationError)(refusal({ error: 'invalid settings', problems: answer.problems }, 'actions-singlestore'), 'INVALID_SETTINGS', 400)
  throw errorFor({ status: answer.status, errortype: answer.errortype, message: answer.error })
}

async function perform(_request, { settings, payload }) {
  const [entry] = await live.deliverPayloads(settings, [payload])
  if (!isSuccess(entry)) throw errorFor(failureOf(entry))
  return entry
}

async function performBatch(_request, { settings, payload }) {
  const core = actionsCore()
  const response = new core.MultiStatusResponse()
  if (!payload.length) return response
  const entries = await live.deliverPayloads(settings, payload)
  entries.forEach((entry, i) => {
    if (isSuccess(entry)) {
      response.setSuccessResponseAtIndex(i, { status: entry.status, body: entry.body, sent: payload[i] })
    } else {
      // A payload the destination itself refused or could not store: reported by the destination.
      response.setErrorResponseAtIndex(i, { status: entry.status, errortype: entry.errortype, errormessage: failureOf(entry).message, sent: payload[i] })
    }
  })
  return response
}

async function databaseChoices(_request, { settings, page }) {
  const request = { action: 'send', field: 'database', settings: live.destinationSettings(settings) }
  if (page) request.page = String(page)
  const answer = JSON.parse(await native.dynamicFieldChoices(JSON.stringify(request)))
  if (answer.ok === false) return { choices: [], nextPage: '', error: { message: refusal(answer, 'actions-singlestore'), code: 'INVALID_SETTINGS' } }
  return answer
}

const destination = {
  name: described.name,
  slug: described.slug,
  mode: described.mode,
  description: described.description,
  authentication: {
    scheme: described.authentication.scheme,
    fields: described.authentication.fields,
    testAuthentication
  },
  presets: described.presets,
  actions: {
    send: {
      title: send.title,
      description: send.description,
      defaultSubscription: send.defaultSubscription,
      fields: send.fields,
      perform,
      performBatch,
      dynamicFields: { database: databaseChoices }
    }
  }
}
if (destination.description === undefined) delete destination.description

module.exports = { destination }
