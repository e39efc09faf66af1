// The CLI as a child process the test controls: standard input on a pipe it feeds (and may
// never close), output in files, signals sent by its process id, the exit status awaited with a
// deadline; or standard error on a pseudo-terminal of a given width, as a user's terminal.
#pragma once

#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/test_env.h"

extern char** environ;

namespace clitest {

using Clock = std::chrono::steady_clock;

// The exit status as a shell reports it: the code, or 128 + the signal that killed it.
inline int exitStatus(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

class ChildCli {
 public:
  ChildCli(const std::vector<std::string>& args, const testenv::TempDir& dir)
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
  bool write(const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
      ssize_t n = ::write(input_, text.data() + done, text.size() - done);
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }
  void closeInput() {
    if (input_ >= 0) ::close(input_);
    input_ = -1;
  }
  bool signal(int sig) { return pid_ > 0 && !status_ && ::kill(pid_, sig) == 0; }
  // The exit status, or nothing when the child is still running after `limit`.
  std::optional<int> wait(std::chrono::milliseconds limit) {
    auto until = Clock::now() + limit;
    while (!status_) {
      int st = 0;
      pid_t r = ::waitpid(pid_, &st, WNOHANG);
      if (r == pid_) {
        status_ = exitStatus(st);
        break;
      }
      if (r < 0 || Clock::now() >= until) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return status_;
  }
  std::string out() const { return testenv::readText(outPath_); }
  std::string err() const { return testenv::readText(errPath_); }

 private:
  std::string outPath_, errPath_;
  pid_t pid_ = -1;
  int input_ = -1;
  std::optional<int> status_;
};

struct PtyRun {
  std::string terminal;  // everything written to the terminal (standard error)
  std::optional<int> exit;
};

// Runs the CLI with standard error (and input) on a pseudo-terminal `columns` wide and standard
// output in `stdoutPath`; sends `signal` after `signalAfter` when it is set; waits up to `limit`.
inline PtyRun runInTerminal(const std::vector<std::string>& args, unsigned short columns,
                            const std::string& stdoutPath, std::chrono::milliseconds limit,
                            int signal = 0,
                            std::chrono::milliseconds signalAfter = std::chrono::milliseconds(0)) {
  PtyRun run;
  winsize size{};
  size.ws_row = 24;
  size.ws_col = columns;
  int master = -1;
  pid_t pid = forkpty(&master, nullptr, nullptr, &size);
  if (pid < 0) return run;
  if (pid == 0) {
    int out = ::open(stdoutPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out >= 0) ::dup2(out, 1);
    std::vector<std::string> argv = {ACTIONS_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    ::execv(cargv[0], cargv.data());
    _exit(127);
  }
  ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
  auto start = Clock::now();
  bool signalled = signal == 0;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(master, buf, sizeof buf);
    if (n > 0) {
      run.terminal.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    int st = 0;
    if (!run.exit && ::waitpid(pid, &st, WNOHANG) == pid) run.exit = exitStatus(st);
    if (run.exit && n <= 0) break;  // exited and drained (EIO once the child side closes)
    if (!signalled && Clock::now() - start >= signalAfter) {
      ::kill(pid, signal);
      signalled = true;
    }
    if (Clock::now() - start > limit) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::close(master);
  return run;
}

}  // namespace clitest
