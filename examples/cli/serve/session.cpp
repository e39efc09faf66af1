#include "session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include "gzip.h"
#include "log.h"

namespace serve {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::chrono::seconds kLingerTimeout{5};

}  // namespace

Session::Session(asio::ip::tcp::socket&& socket, SessionContext& context)
    : stream_(std::move(socket)), context_(context) {
  beast::error_code ec;
  auto endpoint = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_ = endpoint.address().to_string();
  context_.metrics.connectionsOpen.fetch_add(1);
}

Session::~Session() {
  context_.metrics.connectionsOpen.fetch_sub(1);
  if (counted_) context_.metrics.requestsInFlight.fetch_sub(1);
  std::lock_guard<std::mutex> lock(context_.mutex);
  context_.sessions.erase(this);
}

void Session::start() {
  {
    std::lock_guard<std::mutex> lock(context_.mutex);
    context_.sessions.emplace(this, weak_from_this());
  }
  // On the session's strand from here on: its handlers never run at once.
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->readHeader(); });
}

void Session::closeIfIdle() {
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if (self->idle_) self->close();
  });
}

void Session::readHeader() {
  if (context_.draining.load()) return close();
  idle_ = true;
  header_.emplace();
  header_->header_limit(kHeaderLimit);
  stream_.expires_after(context_.config.limits.idleTimeout);
  http::async_read_header(
      stream_, buffer_, *header_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onHeader(ec); });
}

void Session::onHeader(beast::error_code ec) {
  start_ = Clock::now();
  headers_ = RequestHeaders{};
  headers_.peer = remote_;
  if (ec) {
    method_.clear();
    path_.clear();
    // The client closed, went quiet past the idle timeout, or the drain closed an idle
    // connection; a header that is too large or not HTTP gets its answer.
    if (ec == http::error::header_limit)
      return respond(errorAnswer(431, "headers too large"), true);
    if (ec.category() == beast::error_code(http::error::bad_method).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message)
      return respond(errorAnswer(400, "not an HTTP request: " + ec.message()), true);
    return close();
  }
  idle_ = false;
  context_.metrics.requestsInFlight.fetch_add(1);
  counted_ = true;
  const auto& req = header_->get();
  method_ = std::string(req.method_string());
  std::string_view target(req.target().data(), req.target().size());
  path_ = std::string(target.substr(0, target.find('?')));
  headers_.authorization = std::string(req[http::field::authorization]);
  headers_.origin = std::string(req[http::field::origin]);
  headers_.requestedHeaders = std::string(req[http::field::access_control_request_headers]);
  headers_.forwardedFor = std::string(req["X-Forwarded-For"]);
  headers_.forwardedProto = std::string(req["X-Forwarded-Proto"]);
  headers_.host = std::string(req[http::field::host]);
  headers_.path = path_;
  version_ = req.version();
  keepAlive_ = req.keep_alive();
  route_ = route(method_, target, context_.config.limits);

  bool hasBody = header_->chunked() || header_->content_length().value_or(0) > 0;
  if (route_.maxBody == 0) {
    if (hasBody) return respond(context_.routes.handle(route_, std::string(), headers_), true);
    return dispatch();
  }
  auto encoding = req[http::field::content_encoding];
  gzip_ = beast::iequals(encoding, "gzip") || beast::iequals(encoding, "x-gzip");
  if (!gzip_ && !encoding.empty() && !beast::iequals(encoding, "identity"))
    return respond(errorAnswer(415, "Content-Encoding " + std::string(encoding) +
                                        " is not supported: send the body as it is or gzip"),
                   true);
  auto declared = header_->content_length();
  if (declared && *declared > route_.maxBody)
    return respond(errorAnswer(413, "the body is " + std::to_string(*declared) +
                                        " bytes, over this path's limit of " +
                                        std::to_string(route_.maxBody) + " bytes"),
                   true);
  // A compressed body holds its text too once decompressed: at most the path's limit.
  std::size_t reserve = declared ? static_cast<std::size_t>(*declared) : route_.maxBody;
  if (gzip_) reserve += route_.maxBody;
  ticket_ = context_.budget.reserve(reserve);
  if (!ticket_) {
    context_.metrics.refusedOverBudget.fetch_add(1);
    Answer a = errorAnswer(429, "too many request bytes in flight: send the request again later");
    a.retryAfterSeconds = static_cast<int>(context_.config.limits.retryAfter.count());
    return respond(std::move(a), true);
  }
  bool expectContinue = beast::iequals(req[http::field::expect], "100-continue");
  parser_.emplace(std::move(*header_));
  parser_->body_limit(route_.maxBody);
  if (!expectContinue) return readBody();
  // The client waits for this before sending its body.
  auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, version_);
  stream_.expires_after(context_.config.limits.writeTimeout);
  http::async_write(stream_, *cont,
                    [self = shared_from_this(), cont](beast::error_code ec, std::size_t) {
                      if (ec) return self->close();
                      self->readBody();
                    });
}

void Session::readBody() {
  stream_.expires_after(context_.config.limits.readTimeout);
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onBody(ec); });
}

void Session::onBody(beast::error_code ec) {
  if (ec == http::error::body_limit)
    return respond(errorAnswer(413, "the body is over this path's limit of " +
                                        std::to_string(route_.maxBody) + " bytes"),
                   true);
  if (ec) return close();  // the client went away or too slow: nobody to answer
  dispatch();
}

void Session::dispatch() {
  if (!route_.blocking) return respond(answer(), false);
  // The Destination call blocks until the events are stored: on a worker, never on a socket
  // thread. The answer goes back to the session's strand.
  asio::post(context_.workers, [self = shared_from_this()] {
    Answer a;
    try {
      a = self->answer();
    } catch (const std::exception& e) {
      LogLine("request", "error").add("path", self->path_).add("error", e.what()).write();
      a = errorAnswer(500, std::string("internal error: ") + e.what());
    }
    asio::post(self->stream_.get_executor(),
               [self, a = std::move(a)]() mutable { self->respond(std::move(a), false); });
  });
}

Answer Session::answer() {
  if (!gzip_) return context_.routes.handle(route_, body(), headers_);
  std::string text;
  switch (gunzip(body(), route_.maxBody, text)) {
    case GunzipResult::TooLarge:
      return errorAnswer(413, "the body, decompressed, is over this path's limit of " +
                                  std::to_string(route_.maxBody) + " bytes");
    case GunzipResult::Damaged:
      return errorAnswer(400, "the body is not valid gzip (Content-Encoding: gzip)");
    case GunzipResult::Ok:
      break;
  }
  return context_.routes.handle(route_, text, headers_);
}

void Session::respond(Answer answer, bool close) {
  // The body is no longer needed: its bytes go back to the budget before the answer is written.
  parser_.reset();
  header_.reset();
  ticket_.reset();
  if (counted_) {
    context_.metrics.requestsInFlight.fetch_sub(1);
    counted_ = false;
  }
  bool keepAlive = keepAlive_ && !close && !context_.draining.load();
  response_ = std::make_shared<Response>(static_cast<http::status>(answer.status), version_);
  response_->set(http::field::server, "actions-singlestore");
  if (!answer.contentType.empty()) response_->set(http::field::content_type, answer.contentType);
  context_.routes.decorate(answer, headers_);
  for (const auto& [name, value] : answer.headers) response_->set(name, value);
  if (answer.retryAfterSeconds > 0)
    response_->set(http::field::retry_after, std::to_string(answer.retryAfterSeconds));
  if (answer.askForWriteKey)
    response_->set(http::field::www_authenticate, "Basic realm=\"actions-singlestore\"");
  response_->body() = std::move(answer.body);
  response_->keep_alive(keepAlive);
  response_->prepare_payload();

  context_.metrics.countRequest(answer.status);
  if (context_.config.logRequests || answer.status >= 500) {
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
    LogLine("request", answer.status >= 500   ? "error"
                       : answer.status >= 400 ? "warn"
                                              : "info")
        .add("method", method_)
        .add("path", path_)
        .add("status", answer.status)
        .add("events", answer.events)
        .add("ms", ms)
        .add("remote", remote_)
        .write();
  }
  stream_.expires_after(context_.config.limits.writeTimeout);
  http::async_write(
      stream_, *response_,
      [self = shared_from_this(), keepAlive, close](beast::error_code ec, std::size_t) {
        if (ec) return self->close();
        if (close) return self->lingeringClose();
        self->onWrite(ec, keepAlive);
      });
}

void Session::onWrite(beast::error_code ec, bool keepAlive) {
  response_.reset();
  if (ec || !keepAlive) return close();  // the request was read whole: nothing left to drain
  readHeader();
}

void Session::lingeringClose() {
  beast::error_code ec;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  if (ec) return close();
  stream_.expires_after(kLingerTimeout);
  stream_.async_read_some(
      asio::buffer(scratch_),
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onLinger(ec); });
}

void Session::onLinger(beast::error_code ec) {
  if (ec) return close();
  stream_.async_read_some(
      asio::buffer(scratch_),
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onLinger(ec); });
}

void Session::close() {
  idle_ = false;
  beast::error_code ec;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  stream_.socket().close(ec);
}

}  // namespace serve
