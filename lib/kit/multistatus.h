// An event's result in the shape of Segment's multi-status responses:
//   delivered: {"status":200,"body":{"outcome":"inserted"},"sent":{...payload}}
//   otherwise: {"status":400,"errortype":"PAYLOAD_VALIDATION_FAILED","errormessage":"...",
//               "errorreporter":"INTEGRATIONS","outcome":"rejected"}
// ("outcome" names what happened in this project's terms: inserted, duplicate, skipped, ...).
#pragma once

#include "json/json.h"
#include "kit/result.h"

namespace actions::kit {

void multiStatusEntry(const EventResult& result, const json::Value* sent, json::Value& out,
                      json::Allocator& alloc);

}  // namespace actions::kit
