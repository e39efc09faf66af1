#include "singlestore/settings.h"

#include <fmt/format.h>

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "kit/js_values.h"
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
  if (name.find('\0') != std::string_view::npos) return "must not contain a NUL character";
  // MariaDB, MySQL and SingleStore count an identifier's length in characters (64 at most) and
  // store only characters of the Basic Multilingual Plane; they drop trailing spaces, so a name
  // ending in one would not be the name given. Control characters are refused as well: no
  // server lists them back reliably.
  std::size_t chars = 0;
  for (std::size_t i = 0; i < name.size(); ++chars) {
    auto c = static_cast<unsigned char>(name[i]);
    std::size_t length = c < 0x80           ? 1
                         : (c >> 5) == 0x6  ? 2
                         : (c >> 4) == 0xE  ? 3
                         : (c >> 3) == 0x1E ? 4
                                            : 0;
    if (length == 0 || i + length > name.size()) return "must be valid UTF-8 text";
    for (std::size_t k = 1; k < length; ++k)
      if ((static_cast<unsigned char>(name[i + k]) >> 6) != 0x2) return "must be valid UTF-8 text";
    if (length == 4) return "must not contain characters beyond U+FFFF (such as emoji)";
    if (c < 0x20 || c == 0x7F) return "must not contain control characters";
    i += length;
  }
  if (chars > 64) return fmt::format("must be at most 64 characters but it has {}", chars);
  if (name.back() == ' ') return "must not end with a space";
  return "";
}

bool isSystemSchema(std::string_view name) {
  // The server's own schemas (MariaDB / MySQL, and SingleStore's memsql and cluster): writing a
  // table into them could change how the server behaves, and a destination never needs to.
  std::string lower;
  for (char c : name)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (const char* system :
       {"mysql", "sys", "information_schema", "performance_schema", "memsql", "cluster"})
    if (lower == system) return true;
  return false;
}

std::string databaseProblem(std::string_view name) {
  if (auto why = identifierProblem(name); !why.empty()) return why;
  if (isSystemSchema(name))
    return "must not be " + std::string(name) +
           ": it is a system schema of the server, not a place for event rows";
  return "";
}

namespace {

std::string_view textOf(const json::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

bool isInlinePem(std::string_view ca) {
  return ca.substr(0, 10) == "-----BEGIN";
}

// An sslCa value: PEM text holding a certificate, or the path of a readable regular file that
// does (not a directory, not a device such as /dev/null). The path may be shown; PEM text is not.
std::string caProblem(const std::string& ca) {
  if (ca.find('\0') != std::string::npos) return "sslCa must not contain a NUL character";
  if (isInlinePem(ca)) {
    if (ca.find("-----BEGIN CERTIFICATE-----") == std::string::npos ||
        ca.find("-----END CERTIFICATE-----") == std::string::npos)
      return "sslCa holds PEM text without a whole certificate (-----BEGIN CERTIFICATE----- ... "
             "-----END CERTIFICATE-----)";
    return "";
  }
  struct stat st {};
  if (::stat(ca.c_str(), &st) != 0)
    return "sslCa must name a readable CA file (or hold the PEM text itself) but " + ca +
           " cannot be read: " + std::strerror(errno);
  if (!S_ISREG(st.st_mode))
    return "sslCa must name a regular file holding PEM certificates but " + ca + " is " +
           (S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
  std::ifstream in(ca, std::ios::binary);
  if (!in) return "sslCa must name a readable CA file but " + ca + " cannot be read";
  std::string head(1 << 16, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (head.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
    return "sslCa must name a file of PEM certificates but " + ca +
           (head.empty() ? " is empty" : " holds no -----BEGIN CERTIFICATE----- line");
  return "";
}

// A host as the client library takes it: a name or an address, nothing it would read as a URL,
// a list or a plugin's connection string.
std::string hostProblem(std::string_view host) {
  if (host.find('\0') != std::string_view::npos) return "host must not contain a NUL character";
  if (host.find("://") != std::string_view::npos)
    return "host must be a host name or address, without a scheme such as mysql:// (it was \"" +
           std::string(host) + "\")";
  for (char c : host)
    if (std::isspace(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) < 0x20)
      return "host must be a host name or address without spaces or control characters (it was "
             "\"" +
             std::string(host) + "\")";
  for (char c : host)
    if (c == '/' || c == '?' || c == '#' || c == '@' || c == ',' || c == ';')
      return std::string("host must be a host name or address but it contains '") + c +
             "' (it was \"" + std::string(host) + "\")";
  return "";
}

}  // namespace

std::vector<std::string> settingsRuleProblems(const json::Value& s) {
  std::vector<std::string> problems;
  auto member = [&](const char* key) -> const json::Value* {
    auto it = s.FindMember(key);
    return it == s.MemberEnd() || !it->value.IsString() ? nullptr : &it->value;
  };
  if (auto it = s.FindMember("port");
      it != s.MemberEnd() && it->value.IsNumber() && !kit::js::isInteger(it->value))
    problems.push_back("port must be a number between 1 and 65535 but it was " +
                       json::stringify(it->value));
  if (const json::Value* host = member("host"))
    if (auto why = hostProblem(textOf(*host)); !why.empty()) problems.push_back(why);
  // The client library reads these as C strings: a NUL would silently cut them short. The
  // message names the field only, never the value.
  for (const char* key : {"username", "password"})
    if (const json::Value* v = member(key); v && textOf(*v).find('\0') != std::string_view::npos)
      problems.push_back(std::string(key) + " must not contain a NUL character");
  if (const json::Value* db = member("dbName"))
    if (auto why = databaseProblem(textOf(*db)); !why.empty()) problems.push_back("dbName " + why);
  if (const json::Value* table = member("tableName"))
    if (auto why = identifierProblem(textOf(*table)); !why.empty())
      problems.push_back("tableName " + why);
  std::string sslCa;
  if (const json::Value* ca = member("sslCa")) {
    sslCa = std::string(textOf(*ca));
    if (auto why = caProblem(sslCa); !why.empty()) problems.push_back(why);
  }
  if (const json::Value* mode = member("sslMode"); mode && sslCa.empty()) {
    std::string_view m = textOf(*mode);
    if (m == "verify_ca" || m == "verify_identity")
      problems.push_back("sslCa is required when sslMode is " + std::string(m));
  }
  return problems;
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
  // A key that is not a setting is most likely a misspelt one ("ssl_mode"): ignoring it could
  // silently weaken what the user asked for, so it is a problem, with the setting meant.
  r.problems = kit::unknownKeyProblems(destination(), *input);
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
