#include "liquid/timezone.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "json/js_date.h"

namespace actions::liquid::timezone {
namespace {

constexpr const char* kZoneinfoRoot = "/usr/share/zoneinfo";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

// A POSIX TZ rule ("EST5EDT,M3.2.0,M11.1.0"), which zoneinfo files give for times after their
// last transition.
class PosixRule {
 public:
  static std::optional<PosixRule> parse(std::string_view s) {
    PosixRule r;
    std::size_t i = 0;
    if (!skipName(s, i) || !readOffset(s, i, r.stdWest_)) return std::nullopt;
    if (i == s.size()) return r;
    if (!skipName(s, i)) return std::nullopt;
    r.hasDst_ = true;
    r.dstWest_ = r.stdWest_ - 3600;
    if (i < s.size() && s[i] != ',' && !readOffset(s, i, r.dstWest_)) return std::nullopt;
    if (i >= s.size() || s[i] != ',') return std::nullopt;
    ++i;
    if (!readDate(s, i, r.start_)) return std::nullopt;
    if (i >= s.size() || s[i] != ',') return std::nullopt;
    ++i;
    if (!readDate(s, i, r.end_)) return std::nullopt;
    return r;
  }

  // Seconds east of UTC at `t` (seconds since the epoch).
  std::int64_t offsetAt(std::int64_t t) const {
    if (!hasDst_) return -stdWest_;
    std::int64_t year = json::js_date::fieldsOf(static_cast<double>(t - stdWest_) * 1000).year;
    std::int64_t start = transition(year, start_) + stdWest_;
    std::int64_t end = transition(year, end_) + dstWest_;
    bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    return dst ? -dstWest_ : -stdWest_;
  }

 private:
  struct Date {
    char kind = 'M';  // 'J' (1-365, no leap day), 'D' (0-365), 'M' (month.week.day)
    int a = 0, b = 0, c = 0;
    std::int64_t time = 7200;
  };

  static bool skipName(std::string_view s, std::size_t& i) {
    if (i < s.size() && s[i] == '<') {
      std::size_t close = s.find('>', i);
      if (close == std::string_view::npos) return false;
      i = close + 1;
      return true;
    }
    std::size_t start = i;
    while (i < s.size() && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) ++i;
    return i - start >= 3;
  }

  static bool readNumber(std::string_view s, std::size_t& i, std::int64_t& n) {
    std::size_t start = i;
    n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 6) n = n * 10 + (s[i++] - '0');
    return i > start;
  }

  // [+-]hh[:mm[:ss]] in seconds.
  static bool readOffset(std::string_view s, std::size_t& i, std::int64_t& seconds) {
    int sign = 1;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) sign = s[i++] == '-' ? -1 : 1;
    std::int64_t h, m = 0, sec = 0;
    if (!readNumber(s, i, h)) return false;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!readNumber(s, i, m)) return false;
      if (i < s.size() && s[i] == ':') {
        ++i;
        if (!readNumber(s, i, sec)) return false;
      }
    }
    seconds = sign * (h * 3600 + m * 60 + sec);
    return true;
  }

  static bool readDate(std::string_view s, std::size_t& i, Date& d) {
    std::int64_t n;
    if (i < s.size() && s[i] == 'M') {
      ++i;
      std::int64_t month, week, day;
      if (!readNumber(s, i, month) || i >= s.size() || s[i++] != '.') return false;
      if (!readNumber(s, i, week) || i >= s.size() || s[i++] != '.') return false;
      if (!readNumber(s, i, day)) return false;
      d = Date{'M', static_cast<int>(month), static_cast<int>(week), static_cast<int>(day)};
    } else if (i < s.size() && s[i] == 'J') {
      ++i;
      if (!readNumber(s, i, n)) return false;
      d = Date{'J', static_cast<int>(n)};
    } else {
      if (!readNumber(s, i, n)) return false;
      d = Date{'D', static_cast<int>(n)};
    }
    if (i < s.size() && s[i] == '/') {
      ++i;
      if (!readOffset(s, i, d.time)) return false;
    }
    return true;
  }

  // The local time (seconds since the epoch, as if UTC) at which rule `d` fires in `year`.
  static std::int64_t transition(std::int64_t year, const Date& d) {
    auto dayStart = [year](double month, double day) {
      return static_cast<std::int64_t>(
          json::js_date::makeTime(static_cast<double>(year), month, day, 0, 0, 0, 0) / 1000);
    };
    std::int64_t day;
    if (d.kind == 'J') {
      bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
      day = dayStart(0, d.a + ((leap && d.a >= 60) ? 1 : 0));
    } else if (d.kind == 'D') {
      day = dayStart(0, d.a + 1);
    } else {
      std::int64_t first = dayStart(d.a - 1, 1);
      int weekday = json::js_date::fieldsOf(static_cast<double>(first) * 1000).weekday;
      int offset = (d.c - weekday + 7) % 7 + (d.b - 1) * 7;
      std::int64_t candidate = first + offset * 86400;
      int monthOf = json::js_date::fieldsOf(static_cast<double>(candidate) * 1000).month;
      if (d.b == 5 && monthOf != d.a - 1) candidate -= 7 * 86400;
      day = candidate;
    }
    return day + d.time;
  }

  std::int64_t stdWest_ = 0;
  std::int64_t dstWest_ = 0;
  bool hasDst_ = false;
  Date start_;
  Date end_;
};

// The transitions of one zoneinfo (TZif) file.
class Zone {
 public:
  static std::unique_ptr<Zone> load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (data.size() < 44 || data.compare(0, 4, "TZif") != 0) return nullptr;
    auto zone = std::make_unique<Zone>();
    std::size_t pos = 0;
    Header h;
    if (!readHeader(data, pos, h)) return nullptr;
    bool v2 = data[4] >= '2';
    if (v2) {
      pos += h.timeCount * 5 + h.typeCount * 6 + h.charCount + h.leapCount * 8 + h.stdCount +
             h.utcCount;
      if (!readHeader(data, pos, h)) return nullptr;
    }
    const std::size_t timeSize = v2 ? 8 : 4;
    std::size_t need = h.timeCount * (timeSize + 1) + h.typeCount * 6;
    if (pos + need > data.size() || h.typeCount == 0) return nullptr;
    for (std::size_t k = 0; k < h.timeCount; ++k) {
      zone->times_.push_back(readSigned(data, pos + k * timeSize, timeSize));
    }
    pos += h.timeCount * timeSize;
    for (std::size_t k = 0; k < h.timeCount; ++k) {
      zone->typeIndex_.push_back(static_cast<unsigned char>(data[pos + k]));
    }
    pos += h.timeCount;
    for (std::size_t k = 0; k < h.typeCount; ++k) {
      zone->offsets_.push_back(readSigned(data, pos + k * 6, 4));
    }
    pos += h.typeCount * 6 + h.charCount + h.leapCount * (timeSize + 4) + h.stdCount + h.utcCount;
    for (unsigned char i : zone->typeIndex_) {
      if (i >= zone->offsets_.size()) return nullptr;
    }
    if (v2 && pos < data.size() && data[pos] == '\n') {
      std::size_t end = data.find('\n', pos + 1);
      if (end != std::string::npos)
        zone->rule_ = PosixRule::parse(std::string_view(data).substr(pos + 1, end - pos - 1));
    }
    return zone;
  }

  // Seconds east of UTC at `t` (seconds since the epoch).
  std::int64_t offsetAt(std::int64_t t) const {
    if (times_.empty() || t < times_.front()) {
      if (times_.empty() && rule_) return rule_->offsetAt(t);
      return offsets_.front();
    }
    if (t >= times_.back() && rule_) return rule_->offsetAt(t);
    auto it = std::upper_bound(times_.begin(), times_.end(), t);
    return offsets_[typeIndex_[static_cast<std::size_t>(it - times_.begin()) - 1]];
  }

 private:
  struct Header {
    std::size_t utcCount, stdCount, leapCount, timeCount, typeCount, charCount;
  };

  static std::int64_t readSigned(const std::string& d, std::size_t pos, std::size_t size) {
    std::uint64_t v = 0;
    for (std::size_t k = 0; k < size; ++k) v = (v << 8) | static_cast<unsigned char>(d[pos + k]);
    if (size == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    return static_cast<std::int64_t>(v);
  }

  static bool readHeader(const std::string& d, std::size_t& pos, Header& h) {
    if (pos + 44 > d.size() || d.compare(pos, 4, "TZif") != 0) return false;
    auto count = [&](int k) {
      return static_cast<std::size_t>(readSigned(d, pos + 20 + 4 * k, 4));
    };
    h = Header{count(0), count(1), count(2), count(3), count(4), count(5)};
    pos += 44;
    return h.timeCount < 100000 && h.typeCount < 256 && h.charCount < 100000 &&
           h.leapCount < 100000;
  }

  std::vector<std::int64_t> times_;
  std::vector<unsigned char> typeIndex_;
  std::vector<std::int64_t> offsets_;
  std::optional<PosixRule> rule_;
};

// Zone names (lower-cased) to files, and the zones loaded so far.
class ZoneDatabase {
 public:
  static ZoneDatabase& instance() {
    static ZoneDatabase db;
    return db;
  }

  const Zone* find(std::string_view name) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!indexed_) buildIndex();
    auto file = files_.find(lower(name));
    if (file == files_.end()) return nullptr;
    auto& zone = zones_[file->second];
    if (!zone) zone = Zone::load(file->second);
    return zone.get();
  }

 private:
  void buildIndex() {
    indexed_ = true;
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path root(kZoneinfoRoot);
    for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
      std::string relative = it->path().lexically_relative(root).generic_string();
      if (it->is_directory(ec)) {
        if (relative == "posix" || relative == "right") it.disable_recursion_pending();
        continue;
      }
      if (relative.find('.') != std::string::npos || relative == "posixrules" ||
          relative == "localtime" || relative == "Factory" ||
          (relative[0] >= 'a' && relative[0] <= 'z')) {
        continue;
      }
      files_.emplace(lower(relative), it->path().string());
    }
  }

  std::mutex mutex_;
  bool indexed_ = false;
  std::map<std::string, std::string> files_;
  std::map<std::string, std::unique_ptr<Zone>> zones_;
};

}  // namespace

std::optional<double> offsetMinutesWest(std::string_view name, double time) {
  std::string key = lower(name);
  if (key == "utc" || key == "etc/utc" || key == "gmt" || key == "etc/gmt") return 0.0;
  const Zone* zone = ZoneDatabase::instance().find(name);
  if (!zone) return std::nullopt;
  auto seconds = static_cast<std::int64_t>(std::floor(time / 1000));
  return -static_cast<double>(zone->offsetAt(seconds)) / 60;
}

}  // namespace actions::liquid::timezone
