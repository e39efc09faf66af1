#include "kit/settings_validation.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>

#include "json/js_text.h"
#include "kit/js_values.h"
#include "kit/requests.h"

namespace actions::kit {
namespace {

std::string shown(const json::Value& v) {
  if (!v.IsString()) return json::stringify(v);
  std::string out;
  json::appendQuoted(js::view(v), out);
  return out;
}

std::string numberText(double d) {
  std::string s;
  json::appendNumber(d, s);
  return s;
}

bool isEmpty(const json::Value& v) {
  return v.IsNull() || (v.IsString() && v.GetStringLength() == 0);
}

// What a number field expects, for its message: "a number between 1 and 65535".
std::string expectedNumber(const InputField& f) {
  std::string what = f.type == FieldType::Integer ? "a whole number" : "a number";
  if (f.minimum && f.maximum)
    return what + " between " + numberText(*f.minimum) + " and " + numberText(*f.maximum);
  if (f.minimum) return what + " of at least " + numberText(*f.minimum);
  if (f.maximum) return what + " of at most " + numberText(*f.maximum);
  return what;
}

// Checks one present, non-empty value; returns the problem or "" and leaves the (coerced) value in
// `out`.
std::string checkValue(const std::string& key, const InputField& f, const json::Value& v,
                       json::Value& out, json::Allocator& alloc) {
  bool secret = f.type == FieldType::Password;
  switch (f.type) {
    case FieldType::String:
    case FieldType::Text:
    case FieldType::Password:
    case FieldType::Datetime: {
      if (!v.IsString())
        return secret ? key + " must be a string"
                      : key + " must be a string but it was " + shown(v);
      out.SetString(v.GetString(), v.GetStringLength(), alloc);
      if (!f.choices.empty()) {
        bool found = false;
        std::string list;
        for (const auto& c : f.choices) {
          found = found || c.value == js::view(v);
          list += (list.empty() ? "" : ", ") + c.value;
        }
        if (!found)
          return key + " must be one of " + list + " but it was " + (secret ? "not" : shown(v));
      }
      return "";
    }
    case FieldType::Number:
    case FieldType::Integer: {
      double d = NAN;
      if (v.IsNumber())
        d = json::toDouble(v);
      else if (v.IsString())
        d = json::text::toNumber(js::view(v));  // Segment coerces numeric strings
      bool ok = std::isfinite(d) && (!f.minimum || d >= *f.minimum) &&
                (!f.maximum || d <= *f.maximum) &&
                (f.type != FieldType::Integer || d == std::trunc(d));
      if (!ok) return key + " must be " + expectedNumber(f) + " but it was " + shown(v);
      if (d == std::trunc(d) && std::fabs(d) < 9007199254740992.0)
        out.SetInt64(static_cast<int64_t>(d));
      else
        out.SetDouble(d);
      return "";
    }
    case FieldType::Boolean:
      if (v.IsBool())
        out.SetBool(v.GetBool());
      else if (v.IsString() && (js::view(v) == "true" || js::view(v) == "false"))
        out.SetBool(js::view(v) == "true");
      else
        return key + " must be true or false but it was " + shown(v);
      return "";
    case FieldType::Object:
      if (!v.IsObject()) return key + " must be an object but it was " + shown(v);
      out.CopyFrom(v, alloc);
      return "";
  }
  return "";
}

// Letters compared without case, and '_' / '-' ignored: "ssl_mode" is one step from "sslMode".
std::string folded(std::string_view key) {
  std::string out;
  for (char c : key)
    if (c != '_' && c != '-' && c != ' ')
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

// Edits (insert, delete, substitute, swap two neighbours) from a to b.
std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

}  // namespace

std::vector<std::string> unknownKeyProblems(const DestinationDefinition& destination,
                                            const json::Value& input) {
  std::vector<std::string> problems;
  if (!input.IsObject()) return problems;
  std::string known;
  for (const auto& [key, field] : destination.authenticationFields)
    known += (known.empty() ? "" : ", ") + key;
  for (auto it = input.MemberBegin(); it != input.MemberEnd(); ++it) {
    std::string_view key(it->name.GetString(), it->name.GetStringLength());
    bool isField = false;
    for (const auto& [name, field] : destination.authenticationFields) isField |= name == key;
    if (isField) continue;
    // The nearest setting, if it is near enough to be what was meant.
    std::string typed = folded(key);
    const std::string* best = nullptr;
    std::size_t bestDistance = 0;
    for (const auto& [name, field] : destination.authenticationFields) {
      std::size_t d = editDistance(typed, folded(name));
      if (!best || d < bestDistance) {
        best = &name;
        bestDistance = d;
      }
    }
    std::size_t allowed = std::max<std::size_t>(2, typed.size() / 3);
    std::string shownKey;
    json::appendQuoted(key, shownKey);
    if (best && bestDistance <= allowed)
      problems.push_back("unknown setting " + shownKey + ": did you mean \"" + *best + "\"?");
    else
      problems.push_back("unknown setting " + shownKey + " (the settings are " + known + ")");
  }
  return problems;
}

SettingsValidation validateSettings(const DestinationDefinition& destination,
                                    const json::Value& input) {
  SettingsValidation r;
  if (!input.IsObject()) {
    r.problems.push_back("settings must be a JSON object");
    return r;
  }
  json::Document out;
  out.SetObject();
  auto& alloc = out.GetAllocator();
  for (const auto& [key, field] : destination.authenticationFields) {
    auto it = input.FindMember(key.c_str());
    json::Value value;
    if (it == input.MemberEnd() || isEmpty(it->value)) {
      if (field.defaultJson) {
        json::Document d;
        if (!json::parse(*field.defaultJson, d)) value.CopyFrom(d, alloc);
      }
      if (value.IsNull()) {
        if (field.required) r.problems.push_back(key + " is required");
        continue;
      }
    } else {
      std::string problem = checkValue(key, field, it->value, value, alloc);
      if (!problem.empty()) {
        r.problems.push_back(std::move(problem));
        continue;
      }
    }
    out.AddMember(json::Value(key.c_str(), alloc), value, alloc);
  }
  if (r.problems.empty() && destination.checkSettings) {
    AuthRequest request{out};
    r.problems = destination.checkSettings(request);
  }
  if (r.problems.empty()) r.settings = std::move(out);
  return r;
}

}  // namespace actions::kit
