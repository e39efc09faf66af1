// What a tracking request's 200 promises, chosen with --ack (docs/serve.md, "What an answer
// means"). One interface, two implementations:
//
//   TableAcceptance  (--ack table)  Destination::performBatch: the events are in the table (or
//                    duplicates) when the answer is 200; the database being down makes it 503.
//   SpoolAcceptance  (--ack spool)  Destination::resolve, then the valid payloads appended to the
//                    spool (written and fsync'd, group-committed with concurrent requests): 200
//                    once they are on disk, whatever the database is doing; a full spool makes
//                    it 429. A SpoolDelivery moves them to the table in the background.
//
// Either way skipped and rejected events are answered at once, with their reasons.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "actions/destination.h"
#include "actions/spool.h"

namespace serve {

// What /ready reports. Every text names no address or user: /ready answers anyone.
struct Readiness {
  bool ready = false;
  std::string error;     // why not, when not ready
  std::string database;  // empty when the database takes writes; else why not
};

class Acceptance {
 public:
  virtual ~Acceptance() = default;
  // One result per event, in order. Accepted events come back Inserted or Duplicate (table) or
  // Validated with status 200 (spooled); events that cannot be accepted now come back Failed
  // with status 429 or 503 (the client sends the request again).
  virtual std::vector<actions::EventResult> accept(const std::vector<std::string_view>& events) = 0;
  // Never waits on the database: `database` is what the latest background check found (empty:
  // the database takes writes; else why not, in words that name no address or user).
  virtual Readiness readiness(const std::string& database) = 0;
  // Extra metric families in the text exposition (none for the table).
  virtual void renderMetrics(std::string& out) const { (void)out; }
};

class TableAcceptance final : public Acceptance {
 public:
  explicit TableAcceptance(actions::Destination& destination) : destination_(destination) {}
  std::vector<actions::EventResult> accept(const std::vector<std::string_view>& events) override;
  // Ready when the database answered the latest check.
  Readiness readiness(const std::string& database) override;

 private:
  actions::Destination& destination_;
};

class SpoolAcceptance final : public Acceptance {
 public:
  // `delivery` is the spool's delivery, for what /ready and /metrics say about the database.
  // The server is ready while the spool takes `readyHeadroom` more bytes.
  SpoolAcceptance(actions::Destination& destination, actions::Spool& spool,
                  const actions::SpoolDelivery& delivery, std::uint64_t readyHeadroom)
      : destination_(destination),
        spool_(spool),
        delivery_(delivery),
        readyHeadroom_(readyHeadroom) {}
  std::vector<actions::EventResult> accept(const std::vector<std::string_view>& events) override;
  // Ready while the spool takes appends; the database's state is reported, not fatal.
  Readiness readiness(const std::string& database) override;
  void renderMetrics(std::string& out) const override;

 private:
  actions::Destination& destination_;
  actions::Spool& spool_;
  const actions::SpoolDelivery& delivery_;
  std::uint64_t readyHeadroom_;
};

}  // namespace serve
