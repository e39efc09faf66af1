#include "singlestore/settings.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "json/json.h"

namespace actions::singlestore {
namespace {

std::string describeValue(const json::Value& v) {
  if (v.IsString()) {
    std::string out;
    json::appendQuoted(std::string_view(v.GetString(), v.GetStringLength()), out);
    return out;
  }
  return json::stringify(v);
}

// Reads a string field; records a problem when present with another type.
std::optional<std::string> stringField(const json::Value& obj, const char* key, bool secret,
                                       std::vector<std::string>& problems) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return std::nullopt;
  if (!it->value.IsString()) {
    problems.push_back(secret ? fmt::format("{} must be a string", key)
                              : fmt::format("{} must be a string but it was {}", key,
                                            describeValue(it->value)));
    return std::nullopt;
  }
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
  if (name.size() > 64) return fmt::format("must be at most 64 characters but it has {}", name.size());
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

SettingsResult parseSettings(std::string_view jsonText, const char* envPassword) {
  SettingsResult r;
  json::Document doc;
  if (auto err = json::parse(jsonText, doc)) {
    r.problems.push_back("settings are not valid JSON: " + err->describe());
    return r;
  }
  if (!doc.IsObject()) {
    r.problems.push_back("settings must be a JSON object");
    return r;
  }
  Settings s;
  auto& p = r.problems;
  if (auto v = stringField(doc, "host", false, p)) s.host = *v;
  if (s.host.empty()) p.push_back("host is required");

  if (auto it = doc.FindMember("port"); it != doc.MemberEnd() && !it->value.IsNull()) {
    const auto& v = it->value;
    double port = -1;
    if (v.IsNumber()) {
      port = json::toDouble(v);
    } else if (v.IsString()) {
      // Segment coerces numeric strings for number fields.
      std::string text(v.GetString(), v.GetStringLength());
      char* end = nullptr;
      double d = std::strtod(text.c_str(), &end);
      if (!text.empty() && end && *end == '\0') port = d;
    }
    if (port >= 1 && port <= 65535 && port == std::floor(port)) s.port = static_cast<unsigned>(port);
    else p.push_back("port must be a number between 1 and 65535 but it was " + describeValue(v));
  }
  if (auto v = stringField(doc, "username", false, p)) s.username = *v;
  if (s.username.empty()) p.push_back("username is required");
  if (auto v = stringField(doc, "password", true, p)) s.password = *v;
  if (s.password.empty() && envPassword && *envPassword) s.password = envPassword;
  if (s.password.empty()) p.push_back("password is required (in the settings or SINGLESTORE_PASSWORD)");
  if (auto v = stringField(doc, "dbName", false, p)) s.dbName = *v;
  if (s.dbName.empty()) p.push_back("dbName is required");
  else if (auto why = identifierProblem(s.dbName); !why.empty()) p.push_back("dbName " + why);
  if (auto v = stringField(doc, "tableName", false, p)) s.tableName = v->empty() ? s.tableName : *v;
  if (auto why = identifierProblem(s.tableName); !why.empty()) p.push_back("tableName " + why);
  if (auto v = stringField(doc, "sslMode", false, p)) {
    if (auto m = db::parseSslMode(*v)) s.sslMode = *m;
    else
      p.push_back(fmt::format(
          "sslMode must be one of disabled, preferred, required, verify_ca, verify_identity but it was \"{}\"", *v));
  }
  if (auto v = stringField(doc, "sslCa", false, p)) {
    s.sslCa = *v;
    if (!s.sslCa.empty() && !std::ifstream(s.sslCa).good())
      p.push_back("sslCa must name a readable CA file but " + s.sslCa + " cannot be read");
  }
  if (s.sslCa.empty() && (s.sslMode == db::SslMode::VerifyCa || s.sslMode == db::SslMode::VerifyIdentity))
    p.push_back("sslCa is required when sslMode is " + std::string(db::toString(s.sslMode)));
  if (p.empty()) r.settings = std::move(s);
  return r;
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
