// An event's answer as one entry of Segment's multi-status response — the shape actions-core's
// executeBatch gives, which the plugin ABI's execute_batch and destination_perform_batch, serve's
// /actions/send and the Node package all answer with:
//
//   {"status":200,"body":{"outcome":"inserted"},"sent":{..payload..}}   also duplicate, validated;
//                                                                       "sent" when the result
//                                                                       carries its payload
//   {"status":200,"body":{"outcome":"skipped","reason":".."}}
//   {"status":400,"errortype":"PAYLOAD_VALIDATION_FAILED","errormessage":"..",
//    "errorreporter":"INTEGRATIONS","outcome":"rejected"}
//   {"status":401|403|413|429|5xx,"errortype":"..","errormessage":"..","errorreporter":"DESTINATION",
//    "outcome":"failed"|"rejected"}
//
// "outcome" names what happened in this library's terms; the rest is Segment's.
#pragma once

#include <string>

#include "actions/destination.h"
#include "actions/export.h"

namespace actions {

// Appends `result`'s entry to `out` as compact JSON. The payload (EventResult::payloadJson, with
// CallOptions::withPayloads) goes in as "sent" for an event delivered or validated; it must be
// the JSON text the Destination handed back.
ACTIONS_API void appendMultiStatusEntry(const EventResult& result, std::string& out);

}  // namespace actions
