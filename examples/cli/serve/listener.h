// Accepts connections and starts a Session for each (Boost.Beast's advanced_server listener).
// A connection past the caps (limits.h ConnectionGate) is closed at once. When accepting fails
// for want of resources (descriptors, memory, buffers) the listener waits before it tries again,
// backing off up to a second, and logs at most one line per interval: a server out of
// descriptors neither spins nor floods its log.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "limits.h"
#include "log.h"
#include "session.h"

namespace serve {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens; throws boost::system::system_error naming the address when it cannot.
  Listener(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint,
           SessionContext& context, ConnectionGate& gate);
  void start();
  // Stops accepting (the drain's first step); connections already accepted go on.
  void stop();
  // The address it listens on (the port the system chose when asked for port 0).
  boost::asio::ip::tcp::endpoint endpoint() const;

  // The first and the longest wait after accepting failed for want of resources.
  static constexpr std::chrono::milliseconds kFirstBackoff{50};
  static constexpr std::chrono::milliseconds kMaxBackoff{1000};
  // At most one log line per interval for each kind of failure.
  static constexpr std::chrono::seconds kLogInterval{10};

 private:
  void accept();
  void onAccept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);
  void admit(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoffTimer_;
  std::chrono::milliseconds backoff_{0};
  SessionContext& context_;
  ConnectionGate& gate_;
  LogEvery resourceLog_{kLogInterval};  // accept failed: out of descriptors, memory...
  LogEvery otherLog_{kLogInterval};     // accept failed otherwise
  LogEvery refusedLog_{kLogInterval};   // a connection past the caps
};

}  // namespace serve
