'use strict'
// A failed answer of the library (a status and Segment's error type) as the actions-core error a
// destination throws: actions-core decides retries and reporting from the class and status.
const { actionsCore } = require('./host')

// The statuses RetryableError accepts.
const RETRYABLE = new Set([408, 423, 429, 500, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 598, 599])

function errorFor({ status, errortype, message }) {
  const core = actionsCore()
  if (status === 401 || status === 403) return new core.InvalidAuthenticationError(message, errortype || 'INVALID_AUTHENTICATION')
  if (RETRYABLE.has(status)) return new core.RetryableError(message, status)
  if (status === 400 && errortype === 'PAYLOAD_VALIDATION_FAILED') return new core.PayloadValidationError(message)
  return new core.IntegrationError(message, errortype || 'UNKNOWN_ERROR', status || 500)
}

// An {"ok":false} answer of the library (bad settings, request, mapping or subscription).
function refusal(answer, what) {
  const problems = Array.isArray(answer.problems) && answer.problems.length ? `: ${answer.problems.join('; ')}` : ''
  return `${what}: ${answer.error || 'refused'}${problems}`
}

module.exports = { errorFor, refusal }
