// Helpers shared by tests: the throwaway server's settings, running the CLI, temp files.
#pragma once

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace testenv {

inline std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void writeText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Path of the settings JSON of the server the "db" fixture started.
// The non-empty lines of `text` (NDJSON output, report files).
inline std::vector<std::string> nonEmptyLines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

inline std::string settingsPath() {
  const char* p = std::getenv("ACTIONS_TEST_SETTINGS");
  return p ? p : "";
}

// A fresh directory under the system temp dir, removed at destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "actions-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct RunResult {
  int exitCode = -1;
  std::string out;
  std::string err;
};

// Runs the built CLI with a shell command line (arguments already quoted), capturing both streams.
inline RunResult runCli(const std::string& args, const std::string& stdinText = "") {
  TempDir tmp;
  std::string in = tmp.file("stdin"), out = tmp.file("stdout"), err = tmp.file("stderr");
  writeText(in, stdinText);
  std::string cmd =
      std::string(ACTIONS_CLI_PATH) + " " + args + " <" + in + " >" + out + " 2>" + err;
  int status = std::system(cmd.c_str());
  RunResult r;
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = readText(out);
  r.err = readText(err);
  return r;
}

// SIGSTOP takes effect thread by thread, after kill() has returned: on a busy machine some of a
// server's threads go on for a while (long enough to answer a statement). True once every thread
// of `pid` shows the stopped state, false if that takes longer than `bound`.
inline bool waitUntilAllThreadsStopped(pid_t pid,
                                       std::chrono::milliseconds bound = std::chrono::seconds(30)) {
  auto allStopped = [pid] {
    std::error_code ec;
    for (const auto& task :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
      std::string status = readText(task.path().string() + "/status");
      auto at = status.find("\nState:");
      if (at == std::string::npos) continue;  // the thread ended meanwhile
      auto state = status.find_first_not_of(" \t", at + 7);
      if (state == std::string::npos || status[state] != 'T') return false;
    }
    return !ec;
  };
  auto until = std::chrono::steady_clock::now() + bound;
  while (!allStopped()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// A loopback port nothing listens on (bound by the kernel's choice, then closed).
inline unsigned closedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

}  // namespace testenv
