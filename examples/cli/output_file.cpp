#include "output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace cli {

OutputFile::OutputFile(const std::string& path) {
  if (path == "-") {
    fd_ = STDOUT_FILENO;
    name_ = "standard output";
    return;
  }
  name_ = path;
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd_ < 0) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
  ownsFd_ = true;
}

OutputFile::~OutputFile() {
  if (ownsFd_ && fd_ >= 0) ::close(fd_);
}

bool OutputFile::flush() {
  if (failed()) {
    buffer_.clear();
    return false;
  }
  std::size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = "cannot write " + name_ + ": " + std::strerror(n < 0 ? errno : EIO);
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
  return !failed();
}

bool OutputFile::close() {
  bool ok = flush();
  if (ownsFd_ && fd_ >= 0) {
    if (::close(fd_) != 0 && ok) {
      error_ = "cannot write " + name_ + ": " + std::strerror(errno);
      ok = false;
    }
    fd_ = -1;
  }
  return ok;
}

namespace {

struct FileId {
  bool known = false;
  bool regular = false;
  dev_t dev = 0;
  ino_t ino = 0;
  bool same(const FileId& o) const { return known && o.known && dev == o.dev && ino == o.ino; }
};

FileId idOf(const struct stat& st) {
  return {true, S_ISREG(st.st_mode), st.st_dev, st.st_ino};
}

FileId idOfPath(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return {};
  return idOf(st);
}

FileId idOfFd(int fd) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return {};
  return idOf(st);
}

// The absolute path with "." and ".." resolved (symbolic links too, as far as they exist): two
// outputs not created yet are the same file when these are equal.
std::string normalPath(const std::string& path) {
  std::error_code ec;
  auto p = std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec);
  return ec ? path : p.string();
}

std::string described(const std::string& path) {
  return path == "-" ? "standard input" : path;
}

}  // namespace

std::string outputConflict(const std::vector<std::string>& inputs,
                           const std::vector<OutputPath>& outputs, const std::string& stdoutUsed) {
  std::vector<std::pair<std::string, FileId>> in;
  if (inputs.empty()) in.emplace_back("-", idOfFd(STDIN_FILENO));
  for (const auto& p : inputs) in.emplace_back(p, p == "-" ? idOfFd(STDIN_FILENO) : idOfPath(p));

  // What writes standard output, and the file standard output is (appending to an input would
  // feed the run its own output).
  std::string stdoutWriter = stdoutUsed;
  struct Output {
    std::string option;
    FileId id;
    std::string normal;
  };
  std::vector<Output> out;
  for (const auto& o : outputs) {
    if (o.path.empty()) continue;
    if (o.path == "-") {
      if (!stdoutWriter.empty())
        return o.option + " - and " + stdoutWriter + " would both write standard output";
      stdoutWriter = o.option + " -";
      continue;
    }
    out.push_back({o.option, idOfPath(o.path), normalPath(o.path)});
    for (std::size_t j = 0; j + 1 < out.size(); ++j) {
      const auto& other = out[j];
      if (other.normal == out.back().normal || other.id.same(out.back().id))
        return o.option + " and " + other.option + " name the same file " + o.path;
    }
    for (const auto& [inPath, inId] : in)
      if (inId.regular && inId.same(out.back().id))
        return o.option + " " + o.path + " is the input " + described(inPath) +
               ": it would be overwritten before it is read";
  }
  if (!stdoutWriter.empty()) {
    FileId stdoutId = idOfFd(STDOUT_FILENO);
    for (const auto& [inPath, inId] : in)
      if (inId.regular && inId.same(stdoutId))
        return "standard output (" + stdoutWriter + ") is the input " + described(inPath);
  }
  return "";
}

void appendRejectLine(std::string_view text, std::string& out) {
  std::size_t start = out.size();
  out.append(text);
  for (std::size_t i = start; i < out.size(); ++i)
    if (out[i] == '\n' || out[i] == '\r') out[i] = ' ';
  out += '\n';
}

}  // namespace cli
