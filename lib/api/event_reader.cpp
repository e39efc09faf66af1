// include/actions/event_reader.h over io::EventReader.
#include "actions/event_reader.h"

#include "io/event_reader.h"

namespace actions {

struct EventReader::Impl {
  explicit Impl(std::vector<std::string> paths) : reader(std::move(paths)) {}
  io::EventReader reader;
  io::RawEvent raw;
};

EventReader::EventReader(std::vector<std::string> paths)
    : impl_(std::make_unique<Impl>(std::move(paths))) {}

EventReader::~EventReader() = default;

bool EventReader::next(RawEvent& out) {
  // The caller's buffers go in and come back out, so the text is never copied.
  impl_->raw.text.swap(out.text);
  impl_->raw.error.swap(out.error);
  bool got = impl_->reader.next(impl_->raw);
  out.text.swap(impl_->raw.text);
  out.error.swap(impl_->raw.error);
  out.index = impl_->raw.index;
  return got;
}

}  // namespace actions
