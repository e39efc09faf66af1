// The Acceptance that --ack chose, with what it needs alive for as long as the server runs: for
// --ack spool the Spool (locked: one process per spool directory) and the SpoolDelivery that
// moves its events to the table, logging when delivery stalls and when it recovers.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "acceptance.h"
#include "actions/destination.h"
#include "actions/spool.h"
#include "config.h"

namespace serve {

class AcceptanceService {
 public:
  // Opens the spool for --ack spool, logging what it found there. Throws actions::SpoolError
  // (actions::SpoolLocked when another process holds it) when it cannot be used.
  AcceptanceService(const Config& config, actions::Destination& destination);
  ~AcceptanceService();

  Acceptance& acceptance() { return *acceptance_; }
  // The spool's directory as an absolute path; empty for --ack table.
  const std::string& spoolDirectory() const { return spoolDirectory_; }

  // After the last request was answered: delivers from the spool until none waits or until
  // `deadline`, then stops delivering. Returns the events left in the spool for the next start.
  std::uint64_t finish(std::chrono::steady_clock::time_point deadline);

 private:
  std::string spoolDirectory_;
  std::unique_ptr<actions::Spool> spool_;
  std::unique_ptr<actions::SpoolDelivery> delivery_;
  std::unique_ptr<Acceptance> acceptance_;
};

}  // namespace serve
