#include "singlestore/settings.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "kit/settings_validation.h"
#include "singlestore/definition.h"

namespace actions::singlestore {
namespace {

std::string stringMember(const json::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

db::ConnectOptions Settings::connectOptions() const {
  db::ConnectOptions o;
  o.host = host;
  o.port = port;
  o.user = username;
  o.password = password;
  o.database = dbName;
  o.sslMode = sslMode;
  o.sslCa = sslCa;
  return o;
}

std::string identifierProblem(std::string_view name) {
  if (name.empty()) return "must not be empty";
  if (name.size() > 64)
    return fmt::format("must be at most 64 characters but it has {}", name.size());
  if (name.find('\0') != std::string_view::npos) return "must not contain a NUL character";
  if (name.back() == ' ') return "must not end with a space";
  return "";
}

std::string quoteIdentifier(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out.push_back('`');
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  out.push_back('`');
  return out;
}

Settings settingsFromJson(const json::Value& v) {
  Settings s;
  s.host = stringMember(v, "host");
  if (auto it = v.FindMember("port"); it != v.MemberEnd() && it->value.IsNumber())
    s.port = static_cast<unsigned>(json::toDouble(it->value));
  s.username = stringMember(v, "username");
  s.password = stringMember(v, "password");
  s.dbName = stringMember(v, "dbName");
  if (auto t = stringMember(v, "tableName"); !t.empty()) s.tableName = t;
  if (auto m = db::parseSslMode(stringMember(v, "sslMode"))) s.sslMode = *m;
  s.sslCa = stringMember(v, "sslCa");
  return s;
}

SettingsResult parseSettings(const json::Value& object, const char* envPassword) {
  SettingsResult r;
  const json::Value* input = &object;
  json::Document withPassword;
  if (object.IsObject() && envPassword && *envPassword) {
    auto it = object.FindMember("password");
    bool missing = it == object.MemberEnd() || it->value.IsNull() ||
                   (it->value.IsString() && it->value.GetStringLength() == 0);
    if (missing) {
      withPassword.CopyFrom(object, withPassword.GetAllocator());
      withPassword.RemoveMember("password");
      withPassword.AddMember("password", json::Value(envPassword, withPassword.GetAllocator()),
                             withPassword.GetAllocator());
      input = &withPassword;
    }
  }
  kit::SettingsValidation v = kit::validateSettings(destination(), *input);
  for (auto& p : v.problems) {
    if (p == "password is required") p += " (in the settings or SINGLESTORE_PASSWORD)";
    r.problems.push_back(std::move(p));
  }
  if (!r.problems.empty()) return r;
  r.settings = settingsFromJson(v.settings);
  r.validated = std::make_shared<json::Document>(std::move(v.settings));
  return r;
}

SettingsResult parseSettings(std::string_view jsonText, const char* envPassword) {
  json::Document doc;
  if (auto err = json::parse(jsonText, doc)) {
    SettingsResult r;
    r.problems.push_back("settings are not valid JSON: " + err->describe());
    return r;
  }
  return parseSettings(doc, envPassword);
}

SettingsResult loadSettingsFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    SettingsResult r;
    r.problems.push_back("cannot read settings file " + path);
    return r;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return parseSettings(ss.str(), std::getenv("SINGLESTORE_PASSWORD"));
}

}  // namespace actions::singlestore
