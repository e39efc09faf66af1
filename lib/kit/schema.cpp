#include "kit/schema.h"

#include <stdexcept>

namespace actions::kit::schema {
namespace {

using Allocator = json::Allocator;

std::vector<JsonType> jsonTypesOf(FieldType t) {
  switch (t) {
    case FieldType::String:
    case FieldType::Text:
    case FieldType::Password:
      return {JsonType::String};
    case FieldType::Datetime:
      return {JsonType::String, JsonType::Number};
    case FieldType::Number:
      return {JsonType::Number};
    case FieldType::Integer:
      return {JsonType::Integer};
    case FieldType::Boolean:
      return {JsonType::Boolean};
    case FieldType::Object:
      return {JsonType::Object};
  }
  return {};
}

// Segment applies a bound only when it is truthy (a bound of 0 is no bound).
std::optional<double> truthy(const std::optional<double>& v) {
  if (!v || *v == 0 || *v != *v) return std::nullopt;
  return v;
}

json::Value parseConstant(const std::string& text, Allocator& alloc) {
  json::Document d;
  if (json::parse(text, d)) throw std::invalid_argument("condition value is not JSON: " + text);
  return json::Value(d, alloc);
}

std::pair<std::string, std::string> splitDotted(const std::string& key) {
  auto dot = key.find('.');
  auto second = key.find('.', dot + 1);
  return {key.substr(0, dot),
          key.substr(dot + 1, second == std::string::npos ? std::string::npos : second - dot - 1)};
}

bool isDotted(const std::string& key) {
  return key.find('.') != std::string::npos;
}

Node requiredNode(std::vector<std::string> keys) {
  Node n;
  n.hasRequired = true;
  n.required = std::move(keys);
  return n;
}

Node propertiesNode(const std::string& key, Node child) {
  Node n;
  n.hasProperties = true;
  n.properties.push_back({key, std::move(child)});
  return n;
}

// {const: value} or {not: {const: value}}; an undefined value leaves const out, as ajv ignores it.
Node compareNode(const FieldCondition& c, Allocator& alloc) {
  Node eq;
  if (c.valueJson) {
    eq.hasConst = true;
    eq.constValue = parseConstant(*c.valueJson, alloc);
  }
  if (c.op == FieldCondition::Operator::Is) return eq;
  Node n;
  n.notSchema = std::make_unique<Node>(std::move(eq));
  return n;
}

Node thenStatement(const std::string& fieldKey) {
  if (!isDotted(fieldKey)) return requiredNode({fieldKey});
  auto [parent, child] = splitDotted(fieldKey);
  Node n = requiredNode({parent});
  n.hasProperties = true;
  n.properties.push_back({parent, requiredNode({child})});
  return n;
}

Node ifThen(Node ifSchema, Node thenSchema) {
  Node n;
  n.ifSchema = std::make_unique<Node>(std::move(ifSchema));
  n.thenSchema = std::make_unique<Node>(std::move(thenSchema));
  return n;
}

// {properties: {parent: {properties: {child: cmp}, required: [child]}}, required: [parent]}
Node objectCondition(const FieldCondition& c, Allocator& alloc) {
  auto [parent, child] = splitDotted(c.fieldKey);
  Node inner = propertiesNode(child, compareNode(c, alloc));
  inner.hasRequired = true;
  inner.required = {child};
  Node outer = propertiesNode(parent, std::move(inner));
  outer.hasRequired = true;
  outer.required = {parent};
  return outer;
}

// {required: [dep], properties: {dep: cmp}}
Node simpleCondition(const FieldCondition& c, Allocator& alloc) {
  Node n = propertiesNode(c.fieldKey, compareNode(c, alloc));
  n.hasRequired = true;
  n.required = {c.fieldKey};
  return n;
}

// The condition "dep is / is not empty": missing, or null.
Node emptinessTest(const FieldCondition& c, bool multiple) {
  bool is = c.op == FieldCondition::Operator::Is;
  Node inside;
  if (is) {
    inside.notSchema = std::make_unique<Node>(requiredNode({c.fieldKey}));
  } else {
    inside = requiredNode({c.fieldKey});
  }
  if (multiple) return inside;
  Node typeNull;
  typeNull.types = {JsonType::Null};
  Node nullTest = propertiesNode(c.fieldKey, std::move(typeNull));
  Node test;
  if (is) {
    test.anyOf.push_back(std::move(inside));
    test.anyOf.push_back(std::move(nullTest));
  } else {
    Node notNull;
    notNull.notSchema = std::make_unique<Node>(std::move(nullTest));
    test.allOf.push_back(std::move(inside));
    test.allOf.push_back(std::move(notNull));
  }
  return test;
}

Node conditionSchema(const std::string& fieldKey, const RequiredWhen& when, Allocator& alloc) {
  if (when.conditions.empty())
    throw std::invalid_argument("field " + fieldKey + " has an empty condition list");
  if (when.conditions.size() == 1) {
    const FieldCondition& c = when.conditions.front();
    if (isDotted(c.fieldKey)) return ifThen(objectCondition(c, alloc), thenStatement(fieldKey));
    if (!c.valueJson) return ifThen(emptinessTest(c, false), thenStatement(fieldKey));
    return ifThen(simpleCondition(c, alloc), thenStatement(fieldKey));
  }
  Node test;
  std::vector<Node>& list = when.match == RequiredWhen::Match::Any ? test.anyOf : test.allOf;
  for (const FieldCondition& c : when.conditions) {
    if (isDotted(c.fieldKey))
      list.push_back(objectCondition(c, alloc));
    else if (!c.valueJson)
      list.push_back(emptinessTest(c, true));
    else
      list.push_back(simpleCondition(c, alloc));
  }
  // With several conditions Segment requires the field by its literal key, dotted or not.
  return ifThen(std::move(test), requiredNode({fieldKey}));
}

struct ObjectOptions {
  bool additionalProperties = false;
  bool omitRequiredSchemas = false;
};

Node compileObject(const Fields& fields, ObjectOptions options, Allocator& alloc);

Node compileField(const std::string& key, const InputField& field, Allocator& alloc,
                  std::vector<std::pair<std::string, const RequiredWhen*>>& conditions) {
  Node n;
  n.title = field.label;
  std::vector<JsonType> schemaType = jsonTypesOf(field.type);
  n.types = schemaType;
  switch (field.type) {
    case FieldType::Datetime:
      n.format = Format::DateLike;
      break;
    case FieldType::Password:
      n.format = Format::Password;
      break;
    case FieldType::Text:
      n.format = Format::Text;
      break;
    case FieldType::String:
      n.minLength = truthy(field.minimum);
      n.maxLength = truthy(field.maximum);
      break;
    case FieldType::Number:
      n.minimum = truthy(field.minimum);
      n.maximum = truthy(field.maximum);
      break;
    default:
      break;
  }
  if (!field.choices.empty()) {
    n.hasEnum = true;
    for (const Choice& c : field.choices)
      n.enumValues.PushBack(json::Value(c.value.c_str(), alloc), alloc);
  }
  if (field.allowNull) {
    n.types.push_back(JsonType::Null);
    if (n.hasEnum) n.enumValues.PushBack(json::Value(), alloc);
  }
  if (field.multiple) {
    auto items = std::make_unique<Node>();
    items->types = schemaType;
    if (n.hasEnum) {
      items->hasEnum = true;
      items->enumValues = std::move(n.enumValues);
      n.hasEnum = false;
      n.enumValues.SetArray();
    }
    n.items = std::move(items);
    n.types = {JsonType::Array};
  }
  if (field.type == FieldType::Object && !field.properties.empty()) {
    bool nestedConditions = false;
    for (const auto& p : field.properties)
      if (p.field.requiredWhen) nestedConditions = true;
    ObjectOptions options{field.additionalProperties, nestedConditions};
    Node object = compileObject(field.properties, options, alloc);
    if (field.multiple) {
      *n.items = std::move(object);
    } else {
      std::string title = std::move(n.title);
      Format format = n.format;
      n = std::move(object);
      n.title = std::move(title);
      n.format = format;
    }
    for (const auto& p : field.properties)
      if (!p.field.required && p.field.requiredWhen)
        conditions.emplace_back(key + "." + p.key, &*p.field.requiredWhen);
  }
  return n;
}

Node compileObject(const Fields& fields, ObjectOptions options, Allocator& alloc) {
  Node n;
  n.types = {JsonType::Object};
  n.removeAdditional = !options.additionalProperties;
  n.hasProperties = true;
  std::vector<std::string> required;
  std::vector<std::pair<std::string, const RequiredWhen*>> conditions;
  for (const auto& f : fields) {
    n.properties.push_back({f.key, compileField(f.key, f.field, alloc, conditions)});
    if (f.field.required)
      required.push_back(f.key);
    else if (f.field.requiredWhen)
      conditions.emplace_back(f.key, &*f.field.requiredWhen);
  }
  if (options.omitRequiredSchemas) return n;
  n.hasRequired = true;
  n.required = std::move(required);
  for (const auto& [key, when] : conditions) n.allOf.push_back(conditionSchema(key, *when, alloc));
  return n;
}

}  // namespace

const char* toString(JsonType t) {
  switch (t) {
    case JsonType::String:
      return "string";
    case JsonType::Number:
      return "number";
    case JsonType::Integer:
      return "integer";
    case JsonType::Boolean:
      return "boolean";
    case JsonType::Null:
      return "null";
    case JsonType::Object:
      return "object";
    case JsonType::Array:
      return "array";
  }
  return "";
}

bool Node::hasType(JsonType t) const {
  for (JsonType x : types)
    if (x == t) return true;
  return false;
}

const Node* Node::property(std::string_view key) const {
  // Keys of equal length often differ in their first byte: compared before the whole key.
  for (const auto& p : properties)
    if (p.key.size() == key.size() && (key.empty() || p.key[0] == key[0]) && p.key == key)
      return &p.node;
  return nullptr;
}

namespace {

// No keyword of `n` looks inside the value it validates.
bool opaque(const Node& n) {
  return !n.hasProperties && !n.items && !n.removeAdditional && n.allOf.empty() &&
         n.anyOf.empty() && !n.notSchema && !n.ifSchema && !n.thenSchema;
}

}  // namespace

bool nothingEditsInside(const Node& root, std::string_view key) {
  if (const Node* field = root.property(key); field && !opaque(*field)) return false;
  // The object's own conditional schemas may describe the member too.
  std::vector<const Node*> parts;
  for (const Node& n : root.allOf) parts.push_back(&n);
  for (const Node& n : root.anyOf) parts.push_back(&n);
  for (const auto* n : {root.notSchema.get(), root.ifSchema.get(), root.thenSchema.get()})
    if (n) parts.push_back(n);
  for (const Node* part : parts)
    if (!nothingEditsInside(*part, key)) return false;
  return true;
}

std::shared_ptr<const Schema> Schema::compile(const Fields& fields) {
  std::shared_ptr<Schema> s(new Schema());
  s->root_ = compileObject(fields, ObjectOptions{}, s->store_.GetAllocator());
  return s;
}

}  // namespace actions::kit::schema
