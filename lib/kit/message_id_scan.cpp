#include "kit/message_id_scan.h"

#include "json/json.h"

namespace actions::kit {
namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view text) : s_(text) {}

  std::optional<std::string> messageId() {
    skipSpace();
    if (!take('{')) return std::nullopt;
    std::optional<std::string> found;
    skipSpace();
    if (take('}')) return found;
    for (;;) {
      skipSpace();
      std::size_t keyBegin = pos_;
      if (!skipString()) return found;
      std::string_view key = s_.substr(keyBegin, pos_ - keyBegin);
      skipSpace();
      if (!take(':')) return found;
      skipSpace();
      std::size_t valueBegin = pos_;
      if (!skipValue()) return found;
      if (key == "\"messageId\"") found = valueText(s_.substr(valueBegin, pos_ - valueBegin));
      skipSpace();
      if (take(',')) continue;
      return found;
    }
  }

 private:
  bool take(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void skipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  // A string literal, quotes included.
  bool skipString() {
    if (!take('"')) return false;
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (c == '\\') {
        ++pos_;
      } else if (c == '"') {
        return true;
      }
    }
    return false;
  }
  // Any value; nested ones by counting brackets outside strings.
  bool skipValue() {
    if (pos_ >= s_.size()) return false;
    char c = s_[pos_];
    if (c == '"') return skipString();
    if (c == '{' || c == '[') {
      std::size_t depth = 0;
      while (pos_ < s_.size()) {
        char d = s_[pos_];
        if (d == '"') {
          if (!skipString()) return false;
          continue;
        }
        ++pos_;
        if (d == '{' || d == '[') ++depth;
        if ((d == '}' || d == ']') && --depth == 0) return true;
      }
      return false;
    }
    std::size_t begin = pos_;
    while (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != '}' && s_[pos_] != ' ' &&
           s_[pos_] != '\t' && s_[pos_] != '\n' && s_[pos_] != '\r')
      ++pos_;
    return pos_ > begin;
  }
  // A string's or a number's text as reported; nothing for other values.
  static std::optional<std::string> valueText(std::string_view literal) {
    if (literal.empty() ||
        (literal[0] != '"' && literal[0] != '-' && (literal[0] < '0' || literal[0] > '9')))
      return std::nullopt;
    json::Document doc;
    if (json::parse(literal, doc)) return std::nullopt;
    if (doc.IsString()) return std::string(doc.GetString(), doc.GetStringLength());
    if (doc.IsNumber()) return json::toJsString(doc);
    return std::nullopt;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<std::string> scanMessageId(std::string_view json) {
  return Scanner(json).messageId();
}

}  // namespace actions::kit
