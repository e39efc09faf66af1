// What the plugin ABI's entry points share: answers as caller-owned C strings, failures as
// {"ok":false,...}, arguments parsed and checked strictly (an unknown key is an error).
#pragma once

#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "json/json.h"

namespace actions::api::plugin {

// A caller-owned copy (released with pluginFree).
inline char* copyOut(const std::string& text) {
  char* p = static_cast<char*>(std::malloc(text.size() + 1));
  if (!p) return nullptr;
  std::memcpy(p, text.data(), text.size());
  p[text.size()] = '\0';
  return p;
}

inline json::Value str(std::string_view s, json::Allocator& a) {
  return json::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

inline std::string failure(std::string_view message,
                           const std::vector<std::string>& problems = {}) {
  json::Document d;
  d.SetObject();
  auto& a = d.GetAllocator();
  d.AddMember("ok", false, a);
  d.AddMember("error", str(message, a), a);
  if (!problems.empty()) {
    json::Value list(rapidjson::kArrayType);
    for (const auto& p : problems) list.PushBack(str(p, a), a);
    d.AddMember("problems", list, a);
  }
  return json::stringify(d);
}

// Runs `body`, turning anything it throws into an {"ok":false} answer.
template <class Body>
char* guarded(Body&& body) noexcept {
  try {
    return copyOut(body());
  } catch (const std::exception& e) {
    try {
      return copyOut(failure(std::string("internal error: ") + e.what()));
    } catch (...) {
      return nullptr;
    }
  } catch (...) {
    try {
      return copyOut(failure("internal error"));
    } catch (...) {
      return nullptr;
    }
  }
}

// Parses an argument; on failure leaves the answer to give in `error`.
inline bool parseArgument(const char* text, json::Document& doc, std::string& error) {
  if (!text) {
    error = failure("the argument is NULL");
    return false;
  }
  if (auto err = json::parse(text, doc)) {
    error = failure("the argument is not JSON: " + err->describe());
    return false;
  }
  if (!doc.IsObject()) {
    error = failure("the argument must be a JSON object");
    return false;
  }
  return true;
}

inline const json::Value* member(const json::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

inline std::string stringMember(const json::Value& obj, const char* key,
                                std::string fallback = {}) {
  const json::Value* v = member(obj, key);
  return v && v->IsString() ? std::string(v->GetString(), v->GetStringLength()) : fallback;
}

// The failure to answer when `obj` has a key not in `known`, naming it; empty when all are known.
inline std::string unknownKeys(const json::Value& obj,
                               std::initializer_list<std::string_view> known) {
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
    std::string_view key(it->name.GetString(), it->name.GetStringLength());
    bool ok = false;
    for (std::string_view k : known) ok = ok || k == key;
    if (ok) continue;
    std::string list;
    for (std::string_view k : known) {
      if (!list.empty()) list += ", ";
      list += k;
    }
    return failure("unknown key \"" + std::string(key) + "\" in the request (known keys: " + list +
                   ")");
  }
  return {};
}

}  // namespace actions::api::plugin
