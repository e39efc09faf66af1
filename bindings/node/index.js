'use strict'
// actions-singlestore for Node: `destination`, a DestinationDefinition for Segment's
// @segment/actions-core (a peer dependency, taken from the host), and `open`, a live destination
// for hosts without actions-core. The work runs in the native library, off the event loop.
const native = require('./lib/native')
const { destination } = require('./lib/definition')
const { open, LiveDestination, closeShared } = require('./lib/live')
const { useActionsCore } = require('./lib/host')

module.exports = {
  destination,
  open,
  LiveDestination,
  useActionsCore,
  closeAll: closeShared,
  libraryVersion: native.libraryVersion,
  describe: () => JSON.parse(native.describe())
}
