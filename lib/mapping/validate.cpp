#include "mapping/validate.h"

#include <functional>
#include <string_view>

#include "json/js_text.h"
#include "mapping/js/value.h"

namespace actions::mapping {
namespace {

using json::Value;
using Stack = std::vector<std::string>;

constexpr std::size_t kMaxPatternLength = 10;
constexpr std::size_t kMaxReplacementLength = 10;

// What upstream throws while validating; an aggregate is just several problems.
struct Problems {
  std::vector<std::string> messages;
};

bool startsWithAt(const Value& name) {
  return name.GetStringLength() > 0 && name.GetString()[0] == '@';
}

[[noreturn]] void fail(const std::string& message, const Stack& stack) {
  std::string text = "/";
  for (std::size_t i = 0; i < stack.size(); ++i) {
    if (i) text.push_back('/');
    text += stack[i];
  }
  throw Problems{{text + " " + message + "."}};
}

Stack with(const Stack& stack, std::string_view key) {
  Stack s = stack;
  s.emplace_back(key);
  return s;
}

// realTypeOf, with "directive" for objects that have an @-key.
std::string typeOrDirective(const Value* v) {
  if (!v) return "undefined";
  if (v->IsObject()) {
    for (auto& m : v->GetObject())
      if (startsWithAt(m.name)) return "directive";
  }
  return js::realTypeOf(*v);
}

std::string article(const std::string& type) {
  return std::string(js::indefiniteArticle(type)) + " " + type;
}

const Value* member(const Value& obj, std::string_view key) {
  auto it = obj.FindMember(Value(rapidjson::StringRef(key.data(), key.size())));
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

void validate(const Value* mapping, const Stack& stack);
void validateDirective(const Value& obj, const Stack& stack);
void validateObject(const Value* value, const Stack& stack);

using Validator = std::function<void(const Value*, const Stack&)>;

void validateDirectiveOrRaw(const Value* v, const Stack& stack) {
  std::string type = typeOrDirective(v);
  if (type == "directive") return validateDirective(*v, stack);
  if (type == "undefined")
    fail("should be a mapping directive or a JSON value but it is " + article(type), stack);
}

void validateDirectiveOrString(const Value* v, const Stack& stack) {
  std::string type = typeOrDirective(v);
  if (type == "directive") return validateDirective(*v, stack);
  if (type == "string") return;
  fail("should be a string or a mapping directive but it is " + article(type), stack);
}

void validateDirectiveOrObject(const Value* v, const Stack& stack) {
  std::string type = typeOrDirective(v);
  if (type == "directive") return validateDirective(*v, stack);
  if (type == "object") return validateObject(v, stack);
  fail("should be a object or a mapping directive but it is " + article(type), stack);
}

void validateString(const Value* v, const Stack& stack) {
  std::string type = typeOrDirective(v);
  if (type != "string") fail("should be a string but it is " + article(type), stack);
}

Validator stringOfLength(std::size_t min, std::size_t max) {
  return [min, max](const Value* v, const Stack& stack) {
    validateString(v, stack);
    std::size_t n = json::text::utf16Length({v->GetString(), v->GetStringLength()});
    if (n < min) fail("should be a string of length " + std::to_string(min) + " or greater", stack);
    if (n > max) fail("should be a string of length " + std::to_string(max) + " or less", stack);
  };
}

Validator allowedStrings(std::vector<std::string> allowed) {
  return [allowed](const Value* v, const Stack& stack) {
    validateString(v, stack);
    std::string_view text(v->GetString(), v->GetStringLength());
    std::string folded = json::text::toLower(text);
    for (const auto& a : allowed)
      if (folded == a) return;
    std::string list;
    for (std::size_t i = 0; i < allowed.size(); ++i) list += (i ? ", " : "") + allowed[i];
    std::string quoted;
    json::appendQuoted(text, quoted);
    fail("should be one of " + list + " but it is " + quoted, stack);
  };
}

void validateBoolean(const Value* v, const Stack& stack) {
  std::string type = typeOrDirective(v);
  if (type != "boolean") fail("should be a boolean but it is " + article(type), stack);
}

void validateArray(const Value* v, const Stack& stack) {
  std::string type = v ? js::realTypeOf(*v) : "undefined";
  if (type != "array") fail("should be an array but it is " + article(type), stack);
}

void validateObject(const Value* value, const Stack& stack) {
  std::string type = typeOrDirective(value);
  if (type != "object") fail("should be an object but it is " + article(type), stack);
  // (An @-key would have made the type "directive", so none is left to report here.)
  Problems all;
  js::forEachMember(*value, [&](const Value& name, const Value& child) {
    try {
      validate(&child, with(stack, js::keyOf(name)));
    } catch (Problems& p) {
      all.messages.insert(all.messages.end(), p.messages.begin(), p.messages.end());
    }
  });
  if (!all.messages.empty()) throw all;
}

struct Field {
  const char* name;
  bool required;
  Validator check;
};

void validateObjectWithFields(const Value* input, const std::vector<Field>& fields,
                              const Stack& stack) {
  validateObject(input, stack);
  Problems all;
  for (const auto& f : fields) {
    try {
      const Value* v = member(*input, f.name);
      if (f.required) {
        if (!v) fail(std::string("should have field \"") + f.name + "\" but it doesn't", stack);
        f.check(v, with(stack, f.name));
      } else if (v) {
        f.check(v, with(stack, f.name));
      }
    } catch (Problems& p) {
      all.messages.insert(all.messages.end(), p.messages.begin(), p.messages.end());
    }
  }
  if (!all.messages.empty()) throw all;
}

// One validator per directive, called with the stack that ends in the directive's name.
using DirectiveValidator = void (*)(const Value* v, const Stack& stack);

void validateIf(const Value* v, const Stack& stack) {
  validateObjectWithFields(v,
                           {{"exists", false, validateDirectiveOrRaw},
                            {"then", false, validateDirectiveOrRaw},
                            {"else", false, validateDirectiveOrRaw}},
                           stack);
}

void validateCase(const Value* v, const Stack& stack) {
  validateObjectWithFields(
      v, {{"operator", false, validateString}, {"value", false, validateDirectiveOrString}}, stack);
}

void validateReplace(const Value* v, const Stack& stack) {
  validateObjectWithFields(v,
                           {{"pattern", true, stringOfLength(1, kMaxPatternLength)},
                            {"replacement", false, stringOfLength(0, kMaxReplacementLength)},
                            {"value", true, validateDirectiveOrString},
                            {"ignorecase", false, validateBoolean},
                            {"global", false, validateBoolean}},
                           stack);
}

void validateArrayPath(const Value* v, const Stack& stack) {
  validateArray(v, stack);
  validateDirectiveOrString(v->Size() > 0 ? &(*v)[0] : nullptr, stack);
  validate(v->Size() > 1 ? &(*v)[1] : nullptr, stack);
}

void validatePathOrTemplate(const Value* v, const Stack& stack) {
  validateDirectiveOrString(v, stack);
}

void validateJson(const Value* v, const Stack& stack) {
  validateObjectWithFields(v,
                           {{"value", true, validateDirectiveOrRaw},
                            {"mode", true, allowedStrings({"encode", "decode"})}},
                           stack);
}

void validateFlatten(const Value* v, const Stack& stack) {
  validateObjectWithFields(
      v, {{"separator", false, validateString}, {"value", true, validateDirectiveOrRaw}}, stack);
}

void validateMerge(const Value* v, const Stack& stack) {
  validateObjectWithFields(
      v,
      {{"direction", false, allowedStrings({"left", "right"})}, {"objects", true, validateArray}},
      stack);
  // Upstream checks the objects without the stack, so their problems point from the root.
  for (const auto& obj : (*member(*v, "objects")).GetArray()) validateDirectiveOrObject(&obj, {});
}

void validateLiteralOrExclude(const Value* v, const Stack& stack) {
  validateDirectiveOrRaw(v, stack);
}

void validateTransform(const Value* v, const Stack& stack) {
  validateObjectWithFields(
      v, {{"apply", true, validateDirectiveOrObject}, {"mapping", true, validateDirectiveOrObject}},
      stack);
}

void validateLiquid(const Value* v, const Stack& stack) {
  validateString(v, stack);
}

struct DirectiveRule {
  std::string_view name;
  DirectiveValidator check;
};

constexpr DirectiveRule kRules[] = {
    {"@if", validateIf},
    {"@case", validateCase},
    {"@replace", validateReplace},
    {"@arrayPath", validateArrayPath},
    {"@path", validatePathOrTemplate},
    {"@json", validateJson},
    {"@flatten", validateFlatten},
    {"@merge", validateMerge},
    {"@template", validatePathOrTemplate},
    {"@literal", validateLiteralOrExclude},
    {"@transform", validateTransform},
    {"@excludeWhenNull", validateLiteralOrExclude},
    {"@liquid", validateLiquid},
};

void validateDirective(const Value& obj, const Stack& stack) {
  std::size_t keys = obj.MemberCount(), directiveKeys = 0, otherKeys = 0;
  const Value* first = nullptr;
  for (auto& m : obj.GetObject()) {
    if (startsWithAt(m.name)) {
      if (!first) first = &m.name;
      ++directiveKeys;
    } else if (js::keyOf(m.name) != "_metadata") {
      ++otherKeys;
    }
  }
  if (directiveKeys > 1)
    fail(
        "should only have one @-prefixed key but it has " + std::to_string(directiveKeys) + " keys",
        stack);
  if (otherKeys > 0)
    fail("should only have one @-prefixed key but it has " + std::to_string(keys) + " keys", stack);
  std::string_view name = js::keyOf(*first);
  for (const auto& rule : kRules) {
    if (rule.name == name) {
      auto it = obj.FindMember(*first);
      rule.check(&it->value, with(stack, name));
      return;
    }
  }
  fail("has an invalid directive: " + std::string(name), stack);
}

void validate(const Value* mapping, const Stack& stack) {
  std::string type = typeOrDirective(mapping);
  if (type == "directive") return validateDirective(*mapping, stack);
  if (type == "object") return validateObject(mapping, stack);
  if (type == "array") return validateArray(mapping, stack);
}

}  // namespace

bool isDirective(const Value& v) {
  if (!v.IsObject()) return false;
  bool any = false;
  for (auto& m : v.GetObject()) {
    if (startsWithAt(m.name))
      any = true;
    else if (js::keyOf(m.name) != "_metadata")
      return false;
  }
  return any;
}

const Value* directiveKey(const Value& v) {
  for (auto& m : v.GetObject())
    if (startsWithAt(m.name)) return &m.name;
  return nullptr;
}

std::vector<std::string> validateMapping(const Value& mapping) {
  try {
    validate(&mapping, {});
  } catch (Problems& p) {
    return std::move(p.messages);
  }
  return {};
}

}  // namespace actions::mapping
