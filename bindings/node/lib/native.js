'use strict'
// The Node-API addon beside this package's entry, and the shared library beside it (found
// through the addon's $ORIGIN run path). Its functions take and give JSON text, as the plugin
// ABI does; the rest of lib/ gives them their JavaScript shapes.
const path = require('path')

const addon = require(path.join(__dirname, '..', 'actions_singlestore.node'))
// The addon closes its destinations when Node's environment is torn down; process.exit() skips
// that teardown, so the 'exit' event closes the ones no call is using.
process.once('exit', () => addon.closeIdle())

module.exports = addon
