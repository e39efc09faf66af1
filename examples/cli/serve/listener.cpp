#include "listener.h"

#include <boost/asio/dispatch.hpp>

#include "log.h"

namespace serve {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Listener::Listener(asio::io_context& ioc, const tcp::endpoint& endpoint, SessionContext& context)
    : ioc_(ioc), acceptor_(asio::make_strand(ioc)), context_(context) {
  acceptor_.open(endpoint.protocol());
  // A restarted server binds again at once, while the old connections sit in TIME_WAIT.
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

tcp::endpoint Listener::endpoint() const {
  return acceptor_.local_endpoint();
}

void Listener::start() {
  asio::dispatch(acceptor_.get_executor(), [self = shared_from_this()] { self->accept(); });
}

void Listener::stop() {
  asio::dispatch(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
  });
}

void Listener::accept() {
  // Each connection gets a strand of its own.
  acceptor_.async_accept(
      asio::make_strand(ioc_),
      [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
        if (ec) {
          // Out of descriptors, for instance: say so, and keep accepting.
          LogLine("accept", "error").add("error", ec.message()).write();
        } else {
          socket.set_option(tcp::no_delay(true), ec);
          std::make_shared<Session>(std::move(socket), self->context_)->start();
        }
        self->accept();
      });
}

}  // namespace serve
