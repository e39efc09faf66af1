// A definition as Segment's metadata.json describes a cloud-mode Actions destination
// (docs/contracts.md "The destination, as Segment would describe it").
#pragma once

#include <string>

#include "json/json.h"
#include "kit/definition.h"

namespace actions::kit {

void describe(const DestinationDefinition& destination, json::Document& out);
std::string describe(const DestinationDefinition& destination);

// One field as metadata.json writes it.
void describeField(const InputField& field, json::Value& out, json::Allocator& alloc);

}  // namespace actions::kit
