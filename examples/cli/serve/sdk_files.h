// `serve --sdk-dir DIR`: the browser SDK's files, so a website's standard Segment snippet works
// with its CDN host pointed at this server (docs/serve.md "Websites"). DIR is the `dist/umd`
// folder of @segment/analytics-next from npm: GET /analytics.js/v1/{writeKey}/analytics.min.js
// answers its standalone.js (the script the snippet loads), GET /analytics-next/bundles/{file}
// the chunks that script loads next. The files are read once, at start; a path names a file of
// that folder or nothing.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace serve {

class SdkFiles {
 public:
  // Reads DIR's *.js files; throws std::runtime_error naming what is wrong (no such folder, no
  // standalone.js, over the size limit).
  explicit SdkFiles(const std::string& dir);

  // The file a GET of `path` answers with, or nothing when `path` is not one of the SDK's.
  const std::string* find(std::string_view path) const;

  // The most bytes read from DIR: a browser bundle is about 1 MB.
  static constexpr std::size_t kMaxTotalBytes = 32u << 20;

 private:
  std::map<std::string, std::string, std::less<>> files_;  // by file name
};

}  // namespace serve
