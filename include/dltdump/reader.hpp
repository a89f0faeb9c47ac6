// Reading an input message by message: dltdump::Reader.
//
//   dltdump::Reader r{"trip.dlt", dltdump::Filter{}.appid("NAV").level(dltdump::Level::warn)};
//   for (const dltdump::Message& m : r) use(m.time(), m.ecu(), m.text(), m.args());
//
// A Reader opens what the command line opens — a DLT file, a serial or network recording,
// a PCAP or PCAP-NG capture (the content tells which, or ReaderOptions::format says), "-"
// for standard input, bytes in memory, or a live input (tcp://, udp://, ser:; see the
// constructor) — and decodes it a batch at a time on the calling thread: each step frames
// the input 64 KiB at a time until it holds about ReaderOptions::batch_messages messages
// (it stops between two such slices), views into the input — no copy, but for the rare
// message that crosses a window's end, and for a capture read from a pipe or a live input,
// whose messages are copied. Regions that are no valid packet are skipped, as the command
// line's SKIP lines, and counted (skipped_bytes).
//
// Live inputs: a step blocks until messages arrive (it returns those there are, up to a
// batch, without waiting for a full one), the input ends (the TCP peer closes the
// connection or resets it, a serial port goes away) or the Reader is cancelled (cancel()).
// Each message's time is the PC clock when its bytes arrived (UDP: the kernel's receive
// time stamp), unless ReaderOptions::format is file (storage headers carry their own).
//
// Lifetime: the messages of a batch are valid until the next step (next_batch(), or an
// iterator stepping past the batch's last message) or the Reader's end. A Reader made
// from memory reads the caller's bytes in place: they must outlive it.
// Thread-safety: one Reader is used by one thread at a time (it may move between threads
// between steps) — but for cancel() and datagrams(), which any thread may call at any time
// while the Reader exists (not while it is moved or destroyed); separate Readers are independent,
// also on the same file, and may share a Catalogue.
// Errors: everything throws dltdump::Error (naming the input as given and, where known,
// the offset reached); after an Error from a step the Reader is at its end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
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
  // Asked by a live input's step while it waits with nothing to deliver, on the stepping
  // thread, about every 100 ms: false cancels the Reader as cancel() does (what was
  // received is still delivered). Asked too, as often, by a file's step that has found no
  // message to deliver yet (a filter that passes few makes a step read far): false ends
  // the Reader there. A caller can so stop a quiet input or a long step on an interrupt
  // without a thread of its own (the Python module checks Ctrl-C with it). It must not
  // throw. Empty: never asked.
  std::function<bool()> keep_waiting;
};

class DLTDUMP_API Reader {
 public:
  // Opens `path` ("-": standard input; a file:// URI names a file too); compressed data
  // (gzip, zstd, xz, bzip2) is read decompressed on a thread of its own. A live input, as
  // the command line takes it (docs/manual.md, "Live inputs"), is opened here:
  //   * `tcp://host[:port]` connects (one attempt, given up after 5 s; it cannot be
  //     cancelled) and reads the stream, framed as options.format says (network by
  //     default), until the peer closes it — a quiet stream does not end it;
  //   * `udp://addr[:port][?bindto=ip]` binds (and joins a multicast group) and receives
  //     on a thread of its own until cancel(); each sender's datagrams are one network
  //     stream (options.udp_ports and tcp_ports do not apply);
  //   * `ser:port,baud,data,parity,stop[,handshake]` opens and sets up the port, framed
  //     as serial by default, until it goes away.
  // Throws Error (input) when it cannot be opened (a refused connection: the command
  // line's `Couldn't connect to the stream end-point tcp://<host>:<port> (<reason>).`), its
  // name holds a NUL byte or is no valid URI, or it is a capture of a link type that is not
  // decoded; Error (argument) for a filter that can never work (a bad regular expression,
  // not_before after not_after), an empty port list, or options.chunk_bytes > 0 when the
  // input is no plain DLT file or chunk_begin is no chunk start (0 or a verified packet
  // start before the file's end).
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
  // the input. Valid until the next call (see the top). Throws Error. For a live input it
  // blocks until messages arrive, the input ends or cancel() is called (see the top).
  std::span<const Message> next_batch();

  // Ends the input, from any thread, at any time while the Reader exists (a signal
  // handler may not: it is no async-signal-safe call). A live input's blocked step sees it
  // within 100 ms: what was received is decoded (a partial packet at the end becomes a
  // skip, as at a stream's end; UDP datagrams already queued are decoded too) and
  // delivered, and then the Reader is at its end (next_batch() gives none; no Error).
  // A file's or memory's step in progress is not cut short: the next step gives none.
  // Repeated calls do nothing more; on a moved-from Reader it does nothing.
  void cancel() noexcept;

  // The input's name as given, and the format it is decoded in (never automatic).
  const std::string& name() const noexcept;
  Format format() const noexcept;
  // Bytes skipped so far: those the command line would show in SKIP lines (a message the
  // filter drops is not skipped).
  std::uint64_t skipped_bytes() const noexcept;
  // Stream offset up to which the input has been decoded; at the end of a chunk's reading
  // (ReaderOptions::chunk_bytes), the cut where it ended. A TCP or serial input counts the
  // bytes received; a UDP input stays at 0 (its senders' streams have no one offset).
  std::uint64_t offset() const noexcept;
  // A UDP input's datagrams so far: received, and lost — dropped by the kernel (the
  // socket's buffer was full; counted as the kernel reports it with the next datagram
  // received) or by dltdump (its queue of received datagrams was full: the steps did not
  // keep up). The counts the command line reports at a UDP input's end ("N datagrams
  // received, K dropped by the kernel, D dropped by dltdump"). Messages of a dropped
  // datagram are not delivered. All 0 for other inputs. Any thread may ask (see the top).
  struct Datagrams {
    std::uint64_t received = 0;
    std::uint64_t kernel_drops = 0;
    std::uint64_t dltdump_drops = 0;
  };
  Datagrams datagrams() const noexcept;
  // Once the Reader is at its end: the command line's warning line when none of the
  // input's bytes was a message (a DLT file, or a recording read in another format: the
  // line names the input and the --format that may fit); for a live input, the line the
  // command line prints about it (a serial port that stopped with an error, a handshake
  // setting Linux cannot honour); "" otherwise.
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
  friend struct detail::Access;  // a Writer's write_all takes the steps' skipped regions too
  explicit Reader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dltdump
