#include "kit/remove_empty_values.h"

#include "kit/js_values.h"

namespace actions::kit {
namespace {

using schema::JsonType;
using schema::Node;

bool hasTypeOrEnum(const Node* n) {
  return n && (!n->types.empty() || n->hasEnum);
}

// Whether a scalar is removed under `node` (arrays and objects never are).
bool scalarIsEmpty(const json::Value& v, const Node& node) {
  if (v.IsNull()) return !node.hasType(JsonType::Null);
  if (v.IsString() && v.GetStringLength() == 0) return !node.hasType(JsonType::String);
  return false;
}

// Returns false when `v` is to be removed.
bool clean(json::Value& v, const Node* node, bool isRoot) {
  if (!hasTypeOrEnum(node)) return true;
  if (v.IsArray()) {
    if (!node->items) return true;
    // Items are kept or dropped as they are; kept items are not cleaned themselves.
    const Node& items = *node->items;
    if (!hasTypeOrEnum(&items)) return true;
    for (auto it = v.Begin(); it != v.End();) {
      if (!it->IsArray() && !it->IsObject() && scalarIsEmpty(*it, items))
        it = v.Erase(it);
      else
        ++it;
    }
    return true;
  }
  if (v.IsObject()) {
    if (!node->hasProperties) return true;
    for (auto it = v.MemberBegin(); it != v.MemberEnd();) {
      bool keep = clean(it->value, node->property(js::view(it->name)), false);
      if (keep && isRoot && it->value.IsString() && it->value.GetStringLength() == 0) keep = false;
      if (keep)
        ++it;
      else
        it = v.EraseMember(it);
    }
    return true;
  }
  return !scalarIsEmpty(v, *node);
}

}  // namespace

bool removeEmptyValues(json::Value& payload, const schema::Node& schema, bool isRoot) {
  return clean(payload, &schema, isRoot);
}

}  // namespace actions::kit
