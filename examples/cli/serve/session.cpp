#include "session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>

#include "gzip.h"
#include "log.h"

namespace serve {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr std::chrono::seconds kLingerTimeout{5};
// A worker's answer is awaited for --retry-for (at least kMinAnswerWait) and this margin.
constexpr std::chrono::seconds kMinAnswerWait{1};
constexpr std::chrono::seconds kAnswerMargin{1};

// Errors of Beast's HTTP parser (as opposed to the socket's, or a timeout's).
bool isParseError(const beast::error_code& ec) {
  return ec.category() == beast::error_code(http::error::bad_method).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

Answer unauthorized() {
  Answer a = errorAnswer(401, "the write key is not valid for this server");
  a.askForWriteKey = true;
  return a;
}

}  // namespace

Session::Session(asio::ip::tcp::socket&& socket, SessionContext& context, ConnectionGate::Pass pass)
    : stream_(std::move(socket)),
      context_(context),
      pass_(std::move(pass)),
      answerTimer_(stream_.get_executor()) {
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
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow)
      return respond(errorAnswer(431, "the request's header is over the limit of " +
                                          std::to_string(kHeaderLimit) + " bytes"),
                     true);
    if (isParseError(ec))
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
  // Refused with the request's own headers read, so the answer carries CORS like any other.
  if (static_cast<std::size_t>(std::distance(req.begin(), req.end())) > kMaxHeaderFields)
    return respond(errorAnswer(431, "the request's header has more than " +
                                        std::to_string(kMaxHeaderFields) + " fields"),
                   true);
  route_ = route(method_, target, context_.config.limits);

  bool hasBody = header_->chunked() || header_->content_length().value_or(0) > 0;
  if (route_.maxBody == 0) {
    if (hasBody) return respond(context_.routes.handle(route_, std::string(), headers_), true);
    return dispatch();
  }
  // A wrong key in the header costs the server no body; without one, the request's key (if any)
  // is in its body: it gets the keyless limits and budget until it is read.
  Key key = keyFromHeaders();
  if (key == Key::Wrong) return respond(unauthorized(), true);
  const Limits& limits = context_.config.limits;
  bool keyless = key == Key::Absent;
  bodyLimit_ = keyless ? std::min(route_.maxBody, limits.maxKeylessBodyBytes) : route_.maxBody;

  auto encoding = req[http::field::content_encoding];
  gzip_ = beast::iequals(encoding, "gzip") || beast::iequals(encoding, "x-gzip");
  if (!gzip_ && !encoding.empty() && !beast::iequals(encoding, "identity"))
    return respond(errorAnswer(415, "Content-Encoding " + std::string(encoding) +
                                        " is not supported: send the body as it is or gzip"),
                   true);
  auto declared = header_->content_length();
  if (declared && *declared > bodyLimit_) {
    std::string message = "the body is " + std::to_string(*declared) + " bytes, over " +
                          (bodyLimit_ < route_.maxBody
                               ? "the limit of " + std::to_string(bodyLimit_) +
                                     " bytes for a request without a write key in its "
                                     "Authorization header (with HTTP Basic: " +
                                     std::to_string(route_.maxBody) + " bytes)"
                               : "this path's limit of " + std::to_string(bodyLimit_) + " bytes");
    return respond(errorAnswer(overLimitStatus(), message), true);
  }
  // The body (a chunked one may reach the limit), its decompressed text when gzipped (at most
  // the limit), and room for the answer: all of it held until the answer is written.
  std::size_t reserve = declared ? static_cast<std::size_t>(*declared) : bodyLimit_;
  if (gzip_) reserve += bodyLimit_;
  reserve +=
      route_.kind == RouteKind::ActionsSend ? kSendAnswerAllowance : kTrackingAnswerAllowance;
  ByteBudget::Ticket ticket = (keyless ? context_.keylessBudget : context_.budget).reserve(reserve);
  if (!ticket) {
    context_.metrics.refusedOverBudget.fetch_add(1);
    Answer a = errorAnswer(429, keyless ? "too many bytes in flight from requests without a "
                                          "write key in their Authorization header: send the "
                                          "request again later, or with HTTP Basic"
                                        : "too many request bytes in flight: send the request "
                                          "again later");
    a.retryAfterSeconds = static_cast<int>(limits.retryAfter.count());
    return respond(std::move(a), true);
  }
  ticket_ = std::make_shared<ByteBudget::Ticket>(std::move(ticket));
  bool expectContinue = beast::iequals(req[http::field::expect], "100-continue");
  parser_.emplace(std::move(*header_));
  parser_->body_limit(bodyLimit_);
  if (!expectContinue) return readBody();
  // The client waits for this before sending its body.
  auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, version_);
  stream_.expires_after(limits.writeTimeout);
  http::async_write(stream_, *cont,
                    [self = shared_from_this(), cont](beast::error_code ec, std::size_t) {
                      if (ec) return self->close();
                      self->readBody();
                    });
}

Session::Key Session::keyFromHeaders() const {
  // Only a key in HTTP Basic is known before the body; one in the body is judged once it is read.
  switch (context_.routes.checkAuthorization(headers_.authorization)) {
    case actions::tracking::KeyCheck::Allowed:
      return Key::Known;
    case actions::tracking::KeyCheck::Wrong:
      return Key::Wrong;
    case actions::tracking::KeyCheck::Missing:
      break;
  }
  // Without a key: known good where none is needed (--allow-anonymous), else perhaps in the body.
  return context_.config.allowAnonymous ? Key::Known : Key::Absent;
}

void Session::readBody() {
  stream_.expires_after(context_.config.limits.readTimeout);
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onBody(ec); });
}

void Session::onBody(beast::error_code ec) {
  if (ec == http::error::body_limit)
    return respond(
        errorAnswer(overLimitStatus(),
                    "the body is over the limit of " + std::to_string(bodyLimit_) + " bytes" +
                        (bodyLimit_ < route_.maxBody ? " for a request without a write key in its "
                                                       "Authorization header"
                                                     : "")),
        true);
  if (ec == http::error::buffer_overflow)
    return respond(errorAnswer(400,
                               "the body's chunked framing has a line (a chunk size, its "
                               "extensions, or a trailer) over the limit of " +
                                   std::to_string(kReadBufferLimit) + " bytes"),
                   true);
  if (isParseError(ec))
    return respond(errorAnswer(400, "the body's framing is not valid HTTP: " + ec.message()), true);
  if (ec) return close();  // the client went away or too slow: nobody to answer
  dispatch();
}

void Session::dispatch() {
  if (!route_.blocking) return respond(answer(body()), false);
  // The Destination call blocks until the events are stored: on a worker, never on a socket
  // thread. The worker owns the body and a share of the reservation; the answer goes back to the
  // session's strand, unless the deadline answered first.
  auto text = std::make_shared<std::string>(parser_ ? std::move(parser_->get().body()) : "");
  parser_.reset();
  std::uint64_t request = ++requests_;
  awaiting_ = request;
  // Unset, --retry-for is the library's default of two minutes.
  std::chrono::steady_clock::duration budget =
      context_.config.send.retryFor.value_or(std::chrono::minutes(2));
  answerTimer_.expires_after(std::max(budget, std::chrono::steady_clock::duration(kMinAnswerWait)) +
                             kAnswerMargin);
  answerTimer_.async_wait([self = shared_from_this(), request](beast::error_code ec) {
    if (ec || self->awaiting_ != request) return;
    self->awaiting_ = 0;
    self->context_.metrics.answeredAtDeadline.fetch_add(1);
    Answer a = errorAnswer(503,
                           "no answer within the server's time for a request (--retry-for): "
                           "send the request again");
    a.retryAfterSeconds = static_cast<int>(self->context_.config.limits.retryAfter.count());
    self->respond(std::move(a), true);  // the connection ends: its worker may still be busy
  });
  asio::post(context_.workers, [self = shared_from_this(), text, ticket = ticket_, request] {
    Answer a;
    try {
      a = self->answer(*text);
    } catch (const std::exception& e) {
      LogLine("request", "error").add("path", self->path_).add("error", e.what()).write();
      a = errorAnswer(500, std::string("internal error: ") + e.what());
    }
    asio::post(self->stream_.get_executor(), [self, request, a = std::move(a)]() mutable {
      if (self->awaiting_ != request) return;  // answered at the deadline already
      self->awaiting_ = 0;
      self->answerTimer_.cancel();
      self->respond(std::move(a), false);
    });
  });
}

int Session::overLimitStatus() const {
  return route_.kind == RouteKind::Tracking && bodyLimit_ >= route_.maxBody ? 400 : 413;
}

Answer Session::answer(const std::string& body) {
  if (!gzip_) return context_.routes.handle(route_, body, headers_);
  std::string text;
  switch (gunzip(body, bodyLimit_, text)) {
    case GunzipResult::TooLarge:
      return errorAnswer(overLimitStatus(), "the body, decompressed, is over the limit of " +
                                                std::to_string(bodyLimit_) + " bytes");
    case GunzipResult::Damaged:
      return errorAnswer(400, "the body is not valid gzip (Content-Encoding: gzip)");
    case GunzipResult::Ok:
      break;
  }
  return context_.routes.handle(route_, text, headers_);
}

void Session::respond(Answer answer, bool close) {
  // The body is no longer needed; the reservation now covers the answer, and is given back only
  // once the answer is written (a client that does not read its answer holds its bytes).
  parser_.reset();
  header_.reset();
  if (ticket_) ticket_->atLeast(answer.body.size());
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
        self->response_.reset();
        self->ticket_.reset();
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
