// Helpers for end-to-end fault tests: the folder's private MariaDB (fixture "db_rel", whose
// global settings the tests change and which they crash), `send` run as a child process with
// standard input on a pipe the test feeds, generated events, and the report read back.
#pragma once

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "db/connection.h"
#include "json/json.h"
#include "singlestore/settings.h"
#include "singlestore/table.h"
#include "support/child_cli.h"
#include "support/test_env.h"

extern char** environ;

namespace rel {

using namespace actions;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

inline double secondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Runs scripts/db with arguments; returns its exit status.
inline int scriptsDb(const std::string& args) {
  std::string cmd = std::string(ACTIONS_SOURCE_DIR) + "/scripts/db " + args + " >/dev/null 2>&1";
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The fixture's server. Tests crash it on purpose; each test starts by making sure it is up, so
// one failed test does not take the others down with it.
class PrivateServer {
 public:
  PrivateServer() {
    const char* d = std::getenv("ACTIONS_TEST_DB_REL_DIR");
    if (d) dir_ = d;
  }
  bool known() const { return !dir_.empty(); }
  const std::string& dir() const { return dir_; }

  bool running() const { return scriptsDb("env --dir " + dir_) == 0; }
  // SIGKILL at once, without the delay of a script (to hit a statement in flight); returns once
  // the process is gone.
  bool crash() const {
    std::string pidText = testenv::readText(dir_ + "/mariadbd.pid");
    pid_t pid = pidText.empty() ? 0 : static_cast<pid_t>(std::atol(pidText.c_str()));
    if (pid <= 0 || ::kill(pid, SIGKILL) != 0) return false;
    for (int i = 0; i < 400 && ::kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(25ms);
    return ::kill(pid, 0) != 0;
  }
  bool restart() const { return scriptsDb("restart --dir " + dir_) == 0; }
  // SIGSTOP / SIGCONT: a server that stalls — its port still accepts connections (the kernel's
  // backlog) and takes statements into its socket buffers, but nothing answers.
  bool stop() const { return signal(SIGSTOP); }
  bool resume() const { return signal(SIGCONT); }
  bool ensureRunning() const { return running() || restart(); }

  singlestore::Settings settings(const std::string& table) const {
    auto r = singlestore::loadSettingsFile(dir_ + "/settings.json");
    EXPECT_TRUE(r.settings) << (r.problems.empty() ? "" : r.problems[0]);
    auto s = r.settings ? *r.settings : singlestore::Settings{};
    s.tableName = table;
    return s;
  }
  // The server's settings JSON with `table` as tableName, written into `dir`.
  std::string settingsFile(const testenv::TempDir& dir, const std::string& table) const {
    std::string s = testenv::readText(dir_ + "/settings.json");
    s.insert(s.rfind('}'), ",\"tableName\":\"" + table + "\"");
    std::string path = dir.file("settings.json");
    testenv::writeText(path, s);
    return path;
  }
  // Sets a server global for every session opened from now on (tests restore what they change).
  void setGlobal(const std::string& name, const std::string& value) const {
    scriptsDb("sql --dir " + dir_ + " -e 'SET GLOBAL " + name + " = " + value + "'");
  }
  // Runs SQL as the server's root (no single quotes in `sql`).
  bool sql(const std::string& sql) const {
    return scriptsDb("sql --dir " + dir_ + " -e '" + sql + "'") == 0;
  }

 private:
  bool signal(int sig) const {
    std::string pidText = testenv::readText(dir_ + "/mariadbd.pid");
    pid_t pid = pidText.empty() ? 0 : static_cast<pid_t>(std::atol(pidText.c_str()));
    if (pid <= 0 || ::kill(pid, sig) != 0) return false;
    // A stall counts only once every thread of the server has stopped: kill() returns before
    // that, and a statement sent at once could still be answered.
    return sig != SIGSTOP || testenv::waitUntilAllThreadsStopped(pid);
  }

  std::string dir_;
};

// Stops the server for the life of the object: resumed whatever the test does.
class Stalled {
 public:
  explicit Stalled(const PrivateServer& server) : server_(server), stopped_(server.stop()) {}
  ~Stalled() { resume(); }
  Stalled(const Stalled&) = delete;
  Stalled& operator=(const Stalled&) = delete;
  bool stopped() const { return stopped_; }
  void resume() {
    if (stopped_) server_.resume();
    stopped_ = false;
  }

 private:
  const PrivateServer& server_;
  bool stopped_;
};

// A table name no earlier run against the same server used.
inline std::string uniqueTable(const std::string& stem) {
  return stem + "_" + std::to_string(getpid()) + "_" +
         std::to_string(Clock::now().time_since_epoch().count() % 1000000);
}

inline std::string qualified(const singlestore::Settings& s) {
  return singlestore::makeTableRef(s.dbName, s.tableName).qualified();
}

inline std::string scalar(db::Connection& c, const std::string& sql) {
  auto rows = c.query(sql);
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return "NULL";
  return *rows[0][0];
}

// A server status counter such as Innodb_row_lock_waits or Innodb_deadlocks.
inline long long globalStatus(db::Connection& c, const std::string& name) {
  auto rows = c.query("SHOW GLOBAL STATUS LIKE '" + name + "'");
  if (rows.empty() || rows[0].size() < 2 || !rows[0][1]) return -1;
  return std::stoll(*rows[0][1]);
}

// One track event in the shape the default mapping takes; `tag` lands in event and properties.
inline std::string eventLine(const std::string& messageId, const std::string& tag = "Reliable") {
  return R"({"type":"track","event":")" + tag + R"(","messageId":")" + messageId +
         R"(","timestamp":"2026-01-01T00:00:00Z","properties":{"tag":")" + tag + "\"}}\n";
}

inline std::string eventLines(const std::string& prefix, int from, int to) {
  std::string out;
  for (int i = from; i < to; ++i) out += eventLine(prefix + std::to_string(i));
  return out;
}

// `actions-singlestore` as a child process with standard input on a pipe the test writes to.
using CliProcess = testenv::ChildCli;

struct ReportLine {
  long long i = -1;
  std::string messageId;
  int status = 0;
  std::string outcome;
  std::string error;
};

// The --report file, line by line; a line that is not the contract's shape fails the test.
inline std::vector<ReportLine> readReport(const std::string& path) {
  std::vector<ReportLine> out;
  std::string text = testenv::readText(path);
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string_view line(text.data() + pos, nl - pos);
    pos = nl + 1;
    json::Document d;
    if (json::parse(line, d) || !d.IsObject() || !d.HasMember("i") || !d["i"].IsNumber() ||
        !d.HasMember("outcome") || !d["outcome"].IsString() || !d.HasMember("status") ||
        !d["status"].IsNumber()) {
      ADD_FAILURE() << "report line not in the contract's shape: " << line;
      continue;
    }
    ReportLine r;
    r.i = static_cast<long long>(json::toDouble(d["i"]));
    r.status = static_cast<int>(json::toDouble(d["status"]));
    r.outcome = d["outcome"].GetString();
    if (d.HasMember("messageId") && d["messageId"].IsString())
      r.messageId = d["messageId"].GetString();
    if (d.HasMember("error") && d["error"].IsString()) r.error = d["error"].GetString();
    out.push_back(std::move(r));
  }
  return out;
}

// Every messageId stored in the table, in no particular order.
inline std::vector<std::string> storedIds(db::Connection& c, const std::string& table) {
  std::vector<std::string> ids;
  for (auto& row : c.query("SELECT messageId FROM " + table))
    if (!row.empty() && row[0]) ids.push_back(*row[0]);
  return ids;
}

}  // namespace rel
