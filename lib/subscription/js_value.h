// An event value as JavaScript sees it when upstream reads `data.properties.a.b`: JSON values,
// plus what a read can reach beyond them (undefined, one UTF-16 unit of a string, and the
// built-in methods and prototypes every JavaScript value inherits).
#pragma once

#include <cstddef>
#include <string_view>

#include "json/json.h"

namespace actions::subscription {

struct JsValue {
  enum class Kind {
    Undefined,
    Null,
    Boolean,
    Number,
    String,  // json/js_text.h's form: UTF-8, lone surrogates as their three bytes
    Object,
    Array,
    Builtin,  // a built-in function or prototype ("abc".toString, x.__proto__), by `builtin`
  };
  Kind kind = Kind::Undefined;
  bool boolean = false;
  double number = 0;
  std::string_view string;
  const json::Value* json = nullptr;  // for Object and Array
  int builtin = -1;                   // for Builtin

  static JsValue of(const json::Value& v);
  bool truthy() const;
};

// JavaScript's `value[key]` for a value that is neither null nor undefined. Throws
// EvaluationError where JavaScript throws (reading `caller` of a built-in function).
JsValue member(const JsValue& value, std::string_view key);

// True for the names every plain JavaScript object inherits (constructor, toString, __proto__...).
bool isObjectPrototypeName(std::string_view key);

}  // namespace actions::subscription
