// include/actions/settings.h over singlestore/settings.h.
#include "actions/settings.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "api/settings_access.h"

namespace actions {

Settings::Settings(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Settings::Settings(const Settings&) = default;
Settings& Settings::operator=(const Settings&) = default;
Settings::Settings(Settings&&) noexcept = default;
Settings& Settings::operator=(Settings&&) noexcept = default;
Settings::~Settings() = default;

std::string Settings::toJson() const {
  json::Document shown;
  shown.CopyFrom(*impl_->validated, shown.GetAllocator());
  if (shown.IsObject() && shown.HasMember("password"))
    shown["password"].SetString("********", shown.GetAllocator());
  return json::stringify(shown);
}

const std::string& Settings::database() const {
  return impl_->settings.dbName;
}
const std::string& Settings::table() const {
  return impl_->settings.tableName;
}

namespace {

SettingsCheck checked(singlestore::SettingsResult r) {
  SettingsCheck out;
  out.problems = std::move(r.problems);
  if (r.settings && r.validated && out.problems.empty())
    out.settings = SettingsAccess::make(std::make_shared<const Settings::Impl>(
        Settings::Impl{std::move(*r.settings), std::move(r.validated)}));
  return out;
}

}  // namespace

SettingsCheck validateSettings(std::string_view settingsJson, const char* fallbackPassword) {
  return checked(singlestore::parseSettings(settingsJson, fallbackPassword));
}

SettingsCheck loadSettingsFile(const std::string& path, const char* fallbackPassword) {
  // POSIX reads, so a directory or an unreadable file gives the system's reason.
  std::string text;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  int why = fd < 0 ? errno : 0;
  if (fd >= 0) {
    char buf[8192];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0) {
        text.append(buf, static_cast<std::size_t>(n));
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        if (n < 0) why = errno;
        break;
      }
    }
    ::close(fd);
  }
  if (why) {
    SettingsCheck r;
    r.problems.push_back("cannot read settings file " + path + ": " + std::strerror(why));
    return r;
  }
  return validateSettings(text, fallbackPassword);
}

}  // namespace actions
