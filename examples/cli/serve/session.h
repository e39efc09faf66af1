// One client connection, in the shape of Boost.Beast's advanced_server: the session owns its
// stream and buffers, reads one request at a time (HTTP/1.1 keep-alive) with a timeout on every
// read, and writes one answer per request. Everything a client sends counts against a limit
// (limits.h): the unparsed bytes it holds (headers and all chunked framing), its body (within the
// route's limit, else 413, and within a budget of bytes in flight, else 429, reserved with room
// for the answer and held until the answer is written). A write key given in HTTP Basic is judged
// from the headers, before any body is read; requests without one get the small keyless limits.
// Requests that call the Destination are answered from the worker pool.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "config.h"
#include "limits.h"
#include "metrics.h"
#include "routes.h"

namespace serve {

class Session;

// What every session shares with the server.
struct SessionContext {
  const Config& config;
  Routes& routes;
  Metrics& metrics;
  ByteBudget& budget;         // requests whose write key is known good (or needs none)
  ByteBudget& keylessBudget;  // requests that may bring their key in the body
  boost::asio::thread_pool& workers;
  const std::atomic<bool>& draining;

  // The sessions alive now, so a drain can close the idle ones.
  std::mutex mutex;
  std::map<const Session*, std::weak_ptr<Session>> sessions;
  std::size_t sessionCount() {
    std::lock_guard<std::mutex> lock(mutex);
    return sessions.size();
  }
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `pass`: the connection's place under the connection caps, held for as long as it is open.
  Session(boost::asio::ip::tcp::socket&& socket, SessionContext& context,
          ConnectionGate::Pass pass);
  ~Session();
  void start();
  // Drain: closes the connection if it is waiting for a request; a request in progress is
  // answered first (with Connection: close).
  void closeIfIdle();

 private:
  using Clock = std::chrono::steady_clock;
  using HeaderParser = boost::beast::http::request_parser<boost::beast::http::empty_body>;
  using BodyParser = boost::beast::http::request_parser<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  void readHeader();
  void onHeader(boost::beast::error_code ec);
  // Whether the request's write key is known good from its headers: a key in HTTP Basic (Known,
  // or Wrong: answered 401 at once), or none where none is needed (--allow-anonymous: Known). Any
  // other request may bring its key in the body (Absent): it gets the keyless limits and budget.
  enum class Key { Known, Absent, Wrong };
  Key keyFromHeaders() const;
  void readBody();
  void onBody(boost::beast::error_code ec);
  // Answers the request read: at once, or from a worker for routes that call the Destination. A
  // worker's answer that has not come by the answer deadline (--retry-for and a margin) is
  // replaced by a 503 the client retries, so no wait of a client outlasts the request's budget.
  void dispatch();
  // The answer to a request with `body` (decompressed first when it came gzipped).
  Answer answer(const std::string& body);
  // The status of a body over bodyLimit_: 400 where it is Segment's own limit on a tracking path
  // (Segment's tracking API answers 400 to a payload too large), 413 for the other limits.
  int overLimitStatus() const;
  // Writes the answer; `close`: the connection ends after it (the request was not read whole).
  void respond(Answer answer, bool close);
  void onWrite(boost::beast::error_code ec, bool keepAlive);
  // Ends a connection whose client may still be sending: stops sending, reads and drops what
  // arrives until the client closes (or a short timeout), so the answer is not lost to a reset.
  void lingeringClose();
  void onLinger(boost::beast::error_code ec);
  void close();
  // The request's body; empty for a request without one.
  const std::string& body() const { return parser_ ? parser_->get().body() : noBody_; }

  boost::beast::tcp_stream stream_;
  // Bounded: a header, chunk-size line, extension or trailer that does not fit is refused.
  boost::beast::flat_buffer buffer_{kReadBufferLimit};
  SessionContext& context_;
  ConnectionGate::Pass pass_;
  std::string remote_;
  std::optional<HeaderParser> header_;
  std::optional<BodyParser> parser_;
  std::shared_ptr<Response> response_;
  std::array<char, 4096> scratch_{};
  // The request's reservation: held until its answer is written and, when a worker has it, until
  // the worker is done with the body.
  std::shared_ptr<ByteBudget::Ticket> ticket_;
  boost::asio::steady_timer answerTimer_;
  std::uint64_t requests_ = 0;  // requests read on this connection
  std::uint64_t awaiting_ = 0;  // the request whose answer a worker is making; 0: none
  const std::string noBody_;
  Route route_;
  std::size_t bodyLimit_ = 0;  // the route's limit, or the keyless one
  // The request being answered, as the log and the answer need it after its body is freed.
  std::string method_, path_;
  RequestHeaders headers_;
  unsigned version_ = 11;
  bool keepAlive_ = true;
  bool gzip_ = false;  // Content-Encoding: gzip
  Clock::time_point start_;
  bool idle_ = true;      // waiting for a request to begin
  bool counted_ = false;  // counted in requestsInFlight
};

}  // namespace serve
