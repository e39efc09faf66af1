// The CLI as a child process the test controls: standard input on a pipe it feeds (and may
// never close), standard output and error in files, signals sent by its process id, the exit
// status awaited with a deadline. Killed at destruction (or when a wait runs out) if still
// running, so a hanging run fails its test instead of blocking the suite.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "support/test_env.h"

extern char** environ;

namespace testenv {

// The exit status as a shell reports it: the code, or 128 + the signal that killed it.
inline int exitStatus(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

class ChildCli {
 public:
  ChildCli(const std::vector<std::string>& args, const TempDir& dir)
      : outPath_(dir.file("child.out")), errPath_(dir.file("child.err")) {
    ::signal(SIGPIPE, SIG_IGN);  // a child that exits early must not kill the test
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
    posix_spawn_file_actions_addopen(&actions, 1, outPath_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 2, errPath_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    std::vector<std::string> argv = {ACTIONS_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    if (posix_spawn(&pid_, cargv[0], &actions, nullptr, cargv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[0]);
    input_ = fds[1];
  }
  ~ChildCli() {
    closeInput();
    if (pid_ > 0 && !status_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  ChildCli(const ChildCli&) = delete;
  ChildCli& operator=(const ChildCli&) = delete;

  bool started() const { return pid_ > 0; }
  // True while the child has not exited (it is not reaped here).
  bool running() const {
    if (pid_ <= 0 || status_) return false;
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == 0;
  }
  // Writes all of `text` to the child's standard input (blocks while the pipe is full).
  bool write(std::string_view text) {
    while (!text.empty() && input_ >= 0) {
      ssize_t n = ::write(input_, text.data(), text.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      text.remove_prefix(static_cast<std::size_t>(n));
    }
    return text.empty();
  }
  void closeInput() {
    if (input_ >= 0) ::close(input_);
    input_ = -1;
  }
  bool signal(int sig) { return pid_ > 0 && !status_ && ::kill(pid_, sig) == 0; }
  // The exit status once the child ends, or nothing when it runs past `limit` (it is then
  // killed).
  std::optional<int> wait(std::chrono::milliseconds limit) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (!status_) {
      int st = 0;
      pid_t r = ::waitpid(pid_, &st, WNOHANG);
      if (r == pid_) {
        status_ = exitStatus(st);
        break;
      }
      if (r < 0) break;
      if (std::chrono::steady_clock::now() >= until) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        status_ = -1;  // reaped: nothing is left to wait for
        return std::nullopt;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return status_;
  }
  std::string out() const { return readText(outPath_); }
  std::string err() const { return readText(errPath_); }

 private:
  std::string outPath_, errPath_;
  pid_t pid_ = -1;
  int input_ = -1;
  std::optional<int> status_;
};

}  // namespace testenv
