// The CLI as a child process the test controls (support/child_cli.h), or with standard error on
// a pseudo-terminal of a given width, as a user's terminal.
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

#include "support/child_cli.h"
#include "support/test_env.h"

extern char** environ;

namespace clitest {

using Clock = std::chrono::steady_clock;

using testenv::ChildCli;
using testenv::exitStatus;

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
