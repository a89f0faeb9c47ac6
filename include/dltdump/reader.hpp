// Reading an input message by message: dltdump::Reader.
//
//   dltdump::Reader r{"trip.dlt", dltdump::Filter{}.appid("NAV").level(dltdump::Level::warn)};
//   for (const dltdump::Message& m : r) use(m.time(), m.ecu(), m.text(), m.args());
//
// A Reader opens what the command line opens — a DLT file, a serial or network recording,
// a PCAP or PCAP-NG capture (the content tells which, or ReaderOptions::format says), "-"
// for standard input, or bytes in memory — and decodes it a batch at a time on the calling
// thread: each step frames the input 64 KiB at a time until it holds about
// ReaderOptions::batch_messages messages (it stops between two such slices), views into
// the input — no copy, but for the rare message that crosses a window's end, and for a
// capture read from a pipe, whose messages are copied. Regions that are no valid packet are
// skipped, as the command line's SKIP lines, and counted (skipped_bytes).
//
// Lifetime: the messages of a batch are valid until the next step (next_batch(), or an
// iterator stepping past the batch's last message) or the Reader's end. A Reader made
// from memory reads the caller's bytes in place: they must outlive it.
// Thread-safety: one Reader is used by one thread at a time (it may move between threads
// between steps); separate Readers are independent, also on the same file, and may share
// a Catalogue.
// Errors: everything throws dltdump::Error (naming the input and, where known, the offset
// reached); after an Error from a step the Reader is at its end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dltdump/catalogue.hpp"
#include "dltdump/export.hpp"
#include "dltdump/filter.hpp"
#include "dltdump/message.hpp"
#include "dltdump/types.hpp"

namespace dltdump {

struct ReaderOptions {
  Format format = Format::automatic;           // --format
  std::optional<Catalogue> catalogue;          // --fibex: describes non-verbose messages
  std::vector<std::uint16_t> udp_ports{3490};  // captures: UDP datagrams to these ports (at least one)
  std::vector<std::uint16_t> tcp_ports{3490};  // captures: TCP segments to or from these (at least one)
  std::size_t batch_messages = 1024;           // messages a step stops at (see above; at least 1)
  std::uint32_t max_ratio = 500;               // --max-ratio: a compressed input's bound (0: none)
  // One chunk of a plain DLT file (dltdump/chunks.hpp): with chunk_bytes > 0, the Reader
  // reads from chunk_begin, a point of chunk_points(path, chunk_bytes) (not the last one),
  // to the next cut its framer reaches exactly; offset() then says which. 0: the whole input.
  std::uint64_t chunk_bytes = 0;
  std::uint64_t chunk_begin = 0;
};

class DLTDUMP_API Reader {
 public:
  // Opens `path` ("-": standard input; a file:// URI names a file too); compressed data
  // (gzip, zstd, xz, bzip2) is read decompressed on a thread of its own. Throws Error
  // (input) when it cannot be opened, its name holds a NUL byte or it is a capture of a link
  // type that is not decoded; Error (argument) for a filter that can never work (a bad
  // regular expression, not_before after not_after), an empty port list, or
  // options.chunk_bytes > 0 when the input is no plain DLT file or chunk_begin is no chunk
  // start (0 or a verified packet start before the file's end).
  explicit Reader(const std::string& path, const Filter& filter = Filter{}, ReaderOptions options = {});
  // Reads `bytes` (kept by the caller until the Reader ends), named `name` in errors. A
  // capture in memory is copied once (captures are read from a file). Bytes in memory are
  // read whole: options.chunk_bytes > 0 is an Error (argument).
  static Reader from_memory(std::span<const std::uint8_t> bytes, const Filter& filter = Filter{},
                            ReaderOptions options = {}, const std::string& name = "<memory>");
  // A temporary vector's bytes would be gone before the Reader reads them: refused when
  // compiled (keep the vector in a variable).
  static Reader from_memory(std::vector<std::uint8_t>&& bytes, const Filter& filter = Filter{},
                            ReaderOptions options = {}, const std::string& name = "<memory>") = delete;

  // A moved-from Reader is at its end: next_batch() gives no messages, name() is "", the
  // counts are 0 and format() is file.
  Reader(Reader&& other) noexcept;
  Reader& operator=(Reader&& other) noexcept;
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  ~Reader();

  // The next batch of messages that pass the filter: at least one, or none at the end of
  // the input. Valid until the next call (see the top). Throws Error.
  std::span<const Message> next_batch();

  // The input's name as given, and the format it is decoded in (never automatic).
  const std::string& name() const noexcept;
  Format format() const noexcept;
  // Bytes skipped so far: those the command line would show in SKIP lines (a message the
  // filter drops is not skipped).
  std::uint64_t skipped_bytes() const noexcept;
  // Stream offset up to which the input has been decoded; at the end of a chunk's reading
  // (ReaderOptions::chunk_bytes), the cut where it ended.
  std::uint64_t offset() const noexcept;
  // Once the Reader is at its end: the command line's warning line when none of the
  // input's bytes was a message (a DLT file, or a recording read in another format: the
  // line names the input and the --format that may fit); "" otherwise.
  std::string warning() const;

  // Single-pass iteration over all messages (an input iterator): begin() takes the first
  // batch; incrementing past a batch's last message takes the next.
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Message;
    using difference_type = std::ptrdiff_t;
    using pointer = const Message*;
    using reference = const Message&;
    iterator() = default;
    reference operator*() const noexcept { return batch_[index_]; }
    pointer operator->() const noexcept { return &batch_[index_]; }
    iterator& operator++() {
      if (++index_ == batch_.size()) {
        batch_ = reader_->next_batch();
        index_ = 0;
      }
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept { return it.batch_.empty(); }

   private:
    friend class Reader;
    explicit iterator(Reader& reader) : reader_(&reader), batch_(reader.next_batch()) {}
    Reader* reader_ = nullptr;
    std::span<const Message> batch_;
    std::size_t index_ = 0;
  };
  iterator begin() { return iterator(*this); }
  std::default_sentinel_t end() const noexcept { return {}; }

  struct Impl;

 private:
  explicit Reader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dltdump
