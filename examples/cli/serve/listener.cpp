#include "listener.h"

#include <boost/asio/dispatch.hpp>

#include <algorithm>
#include <cerrno>

namespace serve {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Failures that another try at once would only repeat: the process or the system is out of
// something, and a connection that ends frees it.
bool outOfResources(const boost::system::error_code& ec) {
  if (ec.category() != boost::system::system_category()) return false;
  int e = ec.value();
  return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM;
}

}  // namespace

Listener::Listener(asio::io_context& ioc, const tcp::endpoint& endpoint, SessionContext& context,
                   ConnectionGate& gate)
    : ioc_(ioc),
      acceptor_(asio::make_strand(ioc)),
      backoffTimer_(acceptor_.get_executor()),
      context_(context),
      gate_(gate) {
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
    self->backoffTimer_.cancel();
  });
}

void Listener::accept() {
  if (!acceptor_.is_open()) return;
  // Each connection gets a strand of its own.
  acceptor_.async_accept(
      asio::make_strand(ioc_),
      [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
        self->onAccept(ec, std::move(socket));
      });
}

void Listener::onAccept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (!ec) {
    backoff_ = std::chrono::milliseconds(0);
    admit(std::move(socket));
    return accept();
  }
  bool resources = outOfResources(ec);
  std::uint64_t suppressed = 0;
  if ((resources ? resourceLog_ : otherLog_).allow(suppressed))
    LogLine("accept", "error")
        .add("error", ec.message())
        .add("suppressed", suppressed)  // lines not written since the last one
        .write();
  if (!resources) return accept();  // the client gave up before it was accepted, say
  backoff_ = std::clamp(backoff_ * 2, kFirstBackoff, kMaxBackoff);
  backoffTimer_.expires_after(backoff_);
  backoffTimer_.async_wait([self = shared_from_this()](boost::system::error_code e) {
    if (!e) self->accept();
  });
}

void Listener::admit(tcp::socket socket) {
  boost::system::error_code ec;
  auto peer = socket.remote_endpoint(ec);
  std::string address = ec ? std::string() : peer.address().to_string();
  ConnectionGate::Refusal refusal;
  ConnectionGate::Pass pass = gate_.admit(address, refusal);
  if (!pass) {
    context_.metrics.connectionsRefused.fetch_add(1);
    std::uint64_t suppressed = 0;
    if (refusedLog_.allow(suppressed))
      LogLine("connection", "warn")
          .add("refused", refusal == ConnectionGate::Refusal::Total
                              ? "--max-connections"
                              : "--max-connections-per-address")
          .add("remote", address)
          .add("suppressed", suppressed)
          .write();
    socket.close(ec);
    return;
  }
  socket.set_option(tcp::no_delay(true), ec);
  std::make_shared<Session>(std::move(socket), context_, std::move(pass))->start();
}

}  // namespace serve
