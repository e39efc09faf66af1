// An action's fields compiled into the JSON schema Segment validates payloads against
// (actions-core's fieldsToJsonSchema), kept as a tree of the few keywords that function emits.
// The validator (validator.h) interprets it the way ajv does, and removeEmptyValues
// (remove_empty_values.h) reads the same tree.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "json/json.h"
#include "kit/definition.h"

namespace actions::kit::schema {

enum class JsonType : std::uint8_t { String, Number, Integer, Boolean, Null, Object, Array };
const char* toString(JsonType t);

enum class Format : std::uint8_t { None, DateLike, Text, Password };

struct Property;

struct Node {
  std::string title;  // the field's label; empty: errors name the value by its path
  std::vector<JsonType> types;
  Format format = Format::None;
  std::optional<double> minLength, maxLength, minimum, maximum;
  bool hasEnum = false;
  json::Value enumValues{rapidjson::kArrayType};
  bool hasConst = false;
  json::Value constValue;
  std::unique_ptr<Node> items;
  bool hasProperties = false;
  std::vector<Property> properties;
  bool hasRequired = false;
  std::vector<std::string> required;
  bool removeAdditional = false;  // additionalProperties: false, with ajv's removeAdditional
  std::vector<Node> allOf;
  std::vector<Node> anyOf;
  std::unique_ptr<Node> notSchema;
  std::unique_ptr<Node> ifSchema;
  std::unique_ptr<Node> thenSchema;

  bool hasType(JsonType t) const;
  const Node* property(std::string_view key) const;
};

struct Property {
  std::string key;
  Node node;
};

// Whether validation and empty-value removal leave everything inside the value of `root`'s
// member `key` as it is (they may still replace the value itself): no rule of the schema reaches
// below it. Such a member may share the event's value (CompiledMapping::shareReadOnlyMembers).
bool nothingEditsInside(const Node& root, std::string_view key);

// The compiled schema of an action's fields: the root object node and the document that owns
// its JSON constants (choices, condition values).
class Schema {
 public:
  // Throws std::invalid_argument for a field Segment would refuse (an unknown condition operator,
  // a condition value that is not JSON).
  static std::shared_ptr<const Schema> compile(const Fields& fields);
  const Node& root() const { return root_; }

 private:
  Schema() = default;
  json::Document store_;
  Node root_;
};

}  // namespace actions::kit::schema
