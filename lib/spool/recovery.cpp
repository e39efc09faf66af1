#include "spool/recovery.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <utility>
#include <vector>

#include "actions/spool.h"
#include "spool/file.h"
#include "spool/frame.h"
#include "spool/segment_cursor.h"

namespace actions::spool {

namespace fs = std::filesystem;

namespace {

// Moves the bytes of `path` from `offset` on into `path`.damaged (damage inside a segment that
// a crash cannot explain: kept for inspection, not silently lost).
void setAside(const std::string& path, int fd, std::uint64_t offset, std::uint64_t size,
              SpoolRecovery& recovered) {
  std::string rest;
  readAt(fd, rest, static_cast<std::size_t>(size - offset), offset);
  std::string aside = path + ".damaged";
  Fd out = openFile(aside, O_WRONLY | O_CREAT | O_TRUNC);
  writeAt(out.get(), rest, 0);
  syncData(out.get());
  recovered.damagedBytes += size - offset;
  recovered.notes.push_back("damaged record in " + path + " at byte " + std::to_string(offset) +
                            ": the " + std::to_string(size - offset) +
                            " bytes from there on were moved to " + aside);
}

}  // namespace

RecoveredLog recoverLog(const std::string& dir, std::uint64_t delivered,
                        std::uint64_t segmentLimit) {
  RecoveredLog log;
  SpoolRecovery& recovered = log.report;
  std::vector<std::pair<std::uint64_t, std::string>> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (auto n = segmentFileNumber(name)) files.emplace_back(*n, entry.path().string());
  }
  std::sort(files.begin(), files.end());
  recovered.segments = files.size();
  std::uint64_t highest = delivered;
  bool removed = false;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string& path = files[i].second;
    bool last = i + 1 == files.size();
    Fd fd = openFile(path, O_RDWR);
    std::uint64_t size = fileSize(fd.get(), path);
    std::string head;
    readAt(fd.get(), head, kSegmentHeaderBytes, 0);
    std::optional<std::uint64_t> first = parseSegmentHeader(head);
    if (!first) {
      if (last && size < kSegmentHeaderBytes + kFrameHeaderBytes) {
        // Created by a roll that a crash interrupted: nothing in it was acknowledged.
        recovered.tornBytes += size;
        recovered.notes.push_back("removed " + path + ", a segment begun when the process " +
                                  "stopped (" + std::to_string(size) + " bytes, no record)");
      } else {
        setAside(path, fd.get(), 0, size, log.report);
      }
      ::unlink(path.c_str());
      removed = true;
      continue;
    }
    Segment seg{*first, *first - 1, kSegmentHeaderBytes, path};
    SegmentCursor cur(fd.get(), kSegmentHeaderBytes);
    Frame frame;
    std::uint64_t previous = *first - 1;
    SegmentCursor::Step step;
    while ((step = cur.next(size, frame)) == SegmentCursor::Step::Record) {
      if (frame.sequence <= previous) {
        step = SegmentCursor::Step::Corrupt;  // bytes of an older record: not this segment's
        break;
      }
      previous = frame.sequence;
      seg.last = frame.sequence;
      if (frame.sequence > delivered)
        log.waiting.add(frame.sequence, frame.sequence, frame.appendedAtMs);
    }
    if (step == SegmentCursor::Step::IoError)
      throw SpoolError(systemError("cannot read", path, cur.error()));
    seg.bytes = cur.offset();
    if (seg.bytes < size) {
      if (last && step == SegmentCursor::Step::Torn) {
        recovered.tornBytes += size - seg.bytes;
        recovered.notes.push_back("dropped a torn record at the end of " + path + " (" +
                                  std::to_string(size - seg.bytes) + " bytes, never acknowledged)");
      } else if (last && step == SegmentCursor::Step::Corrupt && size - seg.bytes <= segmentLimit) {
        // The last write of the last segment, half on disk: its checksum fails.
        recovered.tornBytes += size - seg.bytes;
        recovered.notes.push_back("dropped a torn record at the end of " + path + " (" +
                                  std::to_string(size - seg.bytes) +
                                  " bytes failing their checksum, never acknowledged)");
      } else {
        setAside(path, fd.get(), seg.bytes, size, log.report);
      }
      if (::ftruncate(fd.get(), static_cast<off_t>(seg.bytes)) != 0 || syncData(fd.get()) != 0)
        throw SpoolError(systemError("cannot repair", path, errno));
    }
    highest = std::max(highest, seg.last);
    if (seg.last <= delivered || seg.last < seg.first) {  // delivered, or holds nothing
      ::unlink(path.c_str());
      removed = true;
      continue;
    }
    log.bytes += seg.bytes;
    log.segments.push_back(std::move(seg));
  }
  if (removed) syncDirectory(dir);
  log.highest = highest;
  recovered.recordsWaiting = log.waiting.count();
  return log;
}

}  // namespace actions::spool
