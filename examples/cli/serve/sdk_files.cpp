#include "sdk_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace serve {
namespace {

constexpr std::string_view kScriptPrefix = "/analytics.js/v1/";
constexpr std::string_view kScriptName = "/analytics.min.js";
constexpr std::string_view kBundlePrefix = "/analytics-next/bundles/";

}  // namespace

SdkFiles::SdkFiles(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw std::runtime_error("--sdk-dir " + dir +
                             " is not a folder (it is the dist/umd folder of "
                             "@segment/analytics-next)");
  std::size_t total = 0;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || entry.path().extension() != ".js") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    total += text.str().size();
    if (total > kMaxTotalBytes)
      throw std::runtime_error("--sdk-dir " + dir + " holds more than " +
                               std::to_string(kMaxTotalBytes >> 20) +
                               " MB of .js files: is it the dist/umd folder of "
                               "@segment/analytics-next?");
    files_.emplace(std::move(name), text.str());
  }
  if (ec) throw std::runtime_error("cannot read --sdk-dir " + dir + ": " + ec.message());
  if (!files_.count("standalone.js"))
    throw std::runtime_error("--sdk-dir " + dir +
                             " has no standalone.js: give the dist/umd folder of "
                             "@segment/analytics-next");
}

const std::string* SdkFiles::find(std::string_view path) const {
  std::string_view name;
  if (path.substr(0, kScriptPrefix.size()) == kScriptPrefix && path.size() > kScriptName.size() &&
      path.substr(path.size() - kScriptName.size()) == kScriptName) {
    std::string_view key =
        path.substr(kScriptPrefix.size(), path.size() - kScriptPrefix.size() - kScriptName.size());
    if (key.empty() || key.find('/') != std::string_view::npos) return nullptr;
    name = "standalone.js";
  } else if (path.substr(0, kBundlePrefix.size()) == kBundlePrefix) {
    name = path.substr(kBundlePrefix.size());
  } else {
    return nullptr;
  }
  auto it = files_.find(name);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace serve
