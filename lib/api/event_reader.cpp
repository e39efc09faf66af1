// include/actions/event_reader.h over io::EventReader.
#include "actions/event_reader.h"

#include "io/event_reader.h"

namespace actions {

static_assert(EventReader::kDefaultMaxEventBytes == io::EventReader::kDefaultMaxEventBytes);

struct EventReader::Impl {
  explicit Impl(std::vector<std::string> paths) : reader(std::move(paths)) {}
  io::EventReader reader;
  io::RawEvent raw;
};

EventReader::EventReader(std::vector<std::string> paths)
    : impl_(std::make_unique<Impl>(std::move(paths))) {}

EventReader::~EventReader() = default;

void EventReader::setMaxEventBytes(std::size_t bytes) {
  impl_->reader.setMaxEventBytes(bytes);
}

std::size_t EventReader::maxEventBytes() const {
  return impl_->reader.maxEventBytes();
}

void EventReader::stop() noexcept {
  impl_->reader.stop();
}

bool EventReader::hasBufferedInput() const {
  return impl_->reader.hasBufferedInput();
}

void EventReader::onWaitForInput(std::function<void()> hook) {
  impl_->reader.onWaitForInput(std::move(hook));
}

bool EventReader::readsTerminal() const {
  return impl_->reader.readsTerminal();
}

bool EventReader::next(RawEvent& out) {
  // The caller's buffers go in and come back out, so the text is never copied.
  impl_->raw.text.swap(out.text);
  impl_->raw.error.swap(out.error);
  impl_->raw.source.swap(out.source);
  bool got = impl_->reader.next(impl_->raw);
  out.text.swap(impl_->raw.text);
  out.error.swap(impl_->raw.error);
  out.source.swap(impl_->raw.source);
  out.index = impl_->raw.index;
  out.line = impl_->raw.line;
  return got;
}

}  // namespace actions
