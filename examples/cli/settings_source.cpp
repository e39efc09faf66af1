#include "settings_source.h"

#include <cstdlib>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include "actions/json_text.h"
#include "commands.h"

namespace cli {
namespace {

struct EnvironmentKey {
  const char* variable;
  const char* key;
  bool number;
};
constexpr EnvironmentKey kEnvironmentKeys[] = {
    {"SINGLESTORE_HOST", "host", false},
    {"SINGLESTORE_PORT", "port", true},
    {"SINGLESTORE_USER", "username", false},
    {"SINGLESTORE_DATABASE", "dbName", false},
};

// The environment's settings as key and JSON value pairs. A port of digits is a number; any
// other port text stays a string, so validation names it.
std::vector<std::pair<std::string, std::string>> environmentMembers() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : kEnvironmentKeys) {
    const char* value = std::getenv(e.variable);
    if (!value) continue;
    std::string v = value, json;
    bool digits = !v.empty() && v.size() <= 9 && v.find_first_not_of("0123456789") == v.npos;
    if (e.number && digits)
      json = std::to_string(std::stol(v));
    else
      actions::appendJsonString(v, json);
    out.emplace_back(e.key, std::move(json));
  }
  return out;
}

// A scanner over JSON text that only needs to find the top-level keys of an object and where
// it closes; it gives up (returns false) on anything it does not understand.
class ObjectScanner {
 public:
  explicit ObjectScanner(const std::string& text) : s_(text) {}

  // Collects the top-level keys; `close` is the offset of the object's closing brace.
  bool scan(std::set<std::string>& keys, std::size_t& close, bool& empty) {
    skipSpace();
    if (s_.compare(at_, 3, "\xEF\xBB\xBF") == 0) at_ += 3;
    skipSpace();
    if (!eat('{')) return false;
    empty = true;
    for (;;) {
      skipSpace();
      if (peek() == '}') {
        if (!empty) return false;  // a trailing comma
        break;
      }
      std::string key;
      if (!string(&key)) return false;
      skipSpace();
      if (!eat(':') || !value()) return false;
      keys.insert(key);
      empty = false;
      skipSpace();
      if (peek() == ',') {
        ++at_;
        continue;
      }
      if (peek() != '}') return false;
      break;
    }
    close = at_++;
    skipSpace();
    return at_ == s_.size();  // nothing after the object
  }

 private:
  char peek() const { return at_ < s_.size() ? s_[at_] : '\0'; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++at_;
    return true;
  }
  void skipSpace() {
    while (at_ < s_.size() &&
           (s_[at_] == ' ' || s_[at_] == '\t' || s_[at_] == '\n' || s_[at_] == '\r'))
      ++at_;
  }
  // A string; its text with the simple escapes undone (keys that need \u are kept escaped,
  // so they match no settings key).
  bool string(std::string* out) {
    if (!eat('"')) return false;
    while (at_ < s_.size()) {
      char c = s_[at_++];
      if (c == '"') return true;
      if (c == '\\') {
        if (at_ >= s_.size()) return false;
        char e = s_[at_++];
        if (out) *out += e == 'u' ? std::string("\\u") : std::string(1, e);
        continue;
      }
      if (out) *out += c;
    }
    return false;
  }
  bool value() {
    skipSpace();
    char c = peek();
    if (c == '"') return string(nullptr);
    if (c == '{' || c == '[') {
      // Nested: balance brackets, strings skipped whole.
      int depth = 0;
      while (at_ < s_.size()) {
        char d = peek();
        if (d == '"') {
          if (!string(nullptr)) return false;
          continue;
        }
        ++at_;
        if (d == '{' || d == '[') ++depth;
        if (d == '}' || d == ']') {
          if (--depth == 0) return true;
        }
      }
      return false;
    }
    std::size_t start = at_;
    while (at_ < s_.size() && s_[at_] != ',' && s_[at_] != '}' && s_[at_] != ' ' &&
           s_[at_] != '\t' && s_[at_] != '\n' && s_[at_] != '\r')
      ++at_;
    return at_ > start;
  }

  const std::string& s_;
  std::size_t at_ = 0;
};

std::string readSettingsFile(const std::string& path) {
  try {
    return readFile(path);
  } catch (const std::runtime_error& e) {
    // readFile says "cannot read PATH: reason".
    std::string what = e.what();
    throw std::runtime_error("cannot read settings file" + what.substr(what.find(' ', 7)));
  }
}

}  // namespace

bool environmentHasSettings() {
  for (const auto& e : kEnvironmentKeys)
    if (std::getenv(e.variable)) return true;
  return false;
}

std::string addMissingMembers(const std::string& fileText,
                              const std::vector<std::pair<std::string, std::string>>& members) {
  std::set<std::string> keys;
  std::size_t close = 0;
  bool empty = true;
  if (!ObjectScanner(fileText).scan(keys, close, empty)) return fileText;
  std::string added;
  for (const auto& [key, value] : members) {
    if (keys.count(key)) continue;
    if (!empty || !added.empty()) added += ',';
    actions::appendJsonString(key, added);
    added += ':';
    added += value;
  }
  std::string out = fileText;
  out.insert(close, added);
  return out;
}

std::string settingsJson(const std::string& path) {
  auto members = environmentMembers();
  if (path.empty()) {
    if (members.empty())
      throw std::runtime_error(
          "no settings: give --settings FILE, or set SINGLESTORE_HOST, SINGLESTORE_USER, "
          "SINGLESTORE_DATABASE and SINGLESTORE_PASSWORD (SINGLESTORE_PORT: 3306 if unset)");
    return addMissingMembers("{}", members);
  }
  return addMissingMembers(readSettingsFile(path), members);
}

std::optional<actions::Settings> loadSettings(const std::string& path, bool needPassword) {
  std::string text;
  try {
    text = settingsJson(path);
  } catch (const std::runtime_error& e) {
    printError(e.what());
    return std::nullopt;
  }
  const char* password = passwordFromEnvironment();
  // Never used: it only lets the check pass for a command that does not connect.
  if (!password && !needPassword) password = "unused";
  auto r = actions::validateSettings(text, password);
  for (const auto& p : r.problems) printError("invalid settings: " + p);
  if (!r.ok()) {
    if (path.empty())
      printError(
          "(settings from the environment: SINGLESTORE_HOST, SINGLESTORE_PORT, "
          "SINGLESTORE_USER, SINGLESTORE_DATABASE, SINGLESTORE_PASSWORD)");
    return std::nullopt;
  }
  return std::move(r.settings);
}

}  // namespace cli
