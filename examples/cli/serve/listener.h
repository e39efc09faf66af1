// Accepts connections and starts a Session for each (Boost.Beast's advanced_server listener).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>

#include <memory>
#include <string>

#include "session.h"

namespace serve {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens; throws boost::system::system_error naming the address when it cannot.
  Listener(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint,
           SessionContext& context);
  void start();
  // Stops accepting (the drain's first step); connections already accepted go on.
  void stop();
  // The address it listens on (the port the system chose when asked for port 0).
  boost::asio::ip::tcp::endpoint endpoint() const;

 private:
  void accept();
  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  SessionContext& context_;
};

}  // namespace serve
