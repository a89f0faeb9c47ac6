#include "dltdump/reader.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <utility>

#include "api/access.hpp"
#include "api/api_error.hpp"
#include "api/conversions.hpp"
#include "api/message_batch.hpp"
#include "app/capture_setup.hpp"
#include "app/live_stream.hpp"
#include "app/pipeline.hpp"
#include "dissect/capture_decoder.hpp"
#include "dlt/cut_points.hpp"
#include "dlt/framer.hpp"
#include "dlt/framer_split.hpp"
#include "filter/filter.hpp"
#include "filter/filter_sink.hpp"
#include "input/decompressed_input.hpp"
#include "input/format_sniff.hpp"
#include "input/input_spec.hpp"
#include "input/serial_port.hpp"
#include "pcap/capture_reader.hpp"
#include "pcap/replay.hpp"
#include "util/date_parse.hpp"
#include "util/error.hpp"
#include "util/input_file.hpp"
#include "util/scoped_fd.hpp"

namespace dltdump {

namespace {

using api::input_format;
using api::public_format;

// Input fed to the framer at a time: a step stops between slices once it holds enough
// messages, so a batch is about ReaderOptions::batch_messages, whatever the window size.
constexpr std::size_t kSliceBytes = 64u << 10;
// A mapped file's pages already decoded are given back (MADV_DONTNEED) once this many have
// gathered, not at every step: each madvise flushes the TLB of every CPU the process's
// threads ran on (an interrupt each on a VM), and a step holds only ~100 KB of input. In a
// process with idle threads (numpy's, Python's) the per-step release took an eighth of
// read_dataframe's time.
constexpr std::uint64_t kReleaseBytes = 4u << 20;

// A capture held in memory, as a file: the capture readers read files (mapped).
util::InputFile memory_file(std::span<const std::uint8_t> bytes, const std::string& name) {
  util::ScopedFd fd(::memfd_create("dltdump-capture", MFD_CLOEXEC));
  auto fail = [&] { return util::input_error(name, util::with_os_reason(name + ": cannot hold the capture", errno)); };
  if (fd.get() < 0) throw fail();
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw fail();
    done += static_cast<std::size_t>(n);
  }
  const int owned = ::dup(fd.get());  // the InputFile owns its own descriptor
  if (owned < 0) throw fail();
  return util::InputFile::from_fd(owned, name, true);  // mapped, as a file
}

}  // namespace

struct [[gnu::visibility("hidden")]] Reader::Impl {
  std::string name;
  // This Reader among all of the process's (from 1): a Writer tells two Readers of one name
  // apart by it (detail::Access::serial), not by an address, which a later Reader may reuse.
  const std::uint64_t serial = next_serial.fetch_add(1, std::memory_order_relaxed);
  static inline std::atomic<std::uint64_t> next_serial{1};
  ReaderOptions options;  // keeps the catalogue alive
  Format format = Format::file;
  std::optional<filter::Filter> filter;
  api::MessageBatch batch;
  std::unique_ptr<filter::FilterSink> filter_sink;  // before `batch` when there is a filter
  dlt::FramerSink* head = &batch;
  std::vector<Message> views;

  // The input: a file (or a pipe), or the caller's bytes.
  std::optional<util::InputFile> file;
  std::span<const std::uint8_t> memory;
  bool memory_fed = false;
  std::span<const std::uint8_t> window;  // being fed, from window_pos on
  std::size_t window_pos = 0;
  // A DLT stream's framer, or a capture's reader and decoder.
  std::unique_ptr<dlt::Framer> framer;
  std::unique_ptr<pcap::CaptureReader> capture;
  std::unique_ptr<pcap::BatchReader> packets;
  std::unique_ptr<dissect::CaptureDecoder> decoder;
  bool ended = false;
  std::uint64_t offset = 0;
  // A chunk's reading (ReaderOptions::chunk_bytes): the cut it ends at, unless a packet
  // straddles it (then the next one).
  bool chunked = false;
  std::uint64_t chunk_stop = 0;
  // What the content was sniffed as and the format it is read in: the warning of an input
  // none of whose bytes was a message suggests the --format that may fit.
  input::Content content = input::Content::Unknown;
  input::InputFormat used = input::InputFormat::File;
  // A fault found after the last messages before it were decoded: thrown by the next step,
  // so that those messages are delivered first.
  std::optional<util::Error> deferred;
  // A live input (the command line's own steps, app/live_stream.hpp): a TCP socket or
  // serial port and its framer, or a UDP receiver and its decoder; what the command line
  // would print about it as a warning (a serial port that stopped with an error).
  std::optional<input::InputSpec> live;
  util::ScopedFd live_fd;
  std::unique_ptr<app::LiveByteStream> live_stream;
  std::unique_ptr<app::LiveUdp> live_udp;
  std::string live_warning;
  // Reader::cancel, from any thread: the next look at it ends the input.
  std::atomic<bool> cancelled{false};

  Impl(std::string name_, ReaderOptions options_) : name(std::move(name_)), options(std::move(options_)) {
    options.batch_messages = std::max<std::size_t>(options.batch_messages, 1);
    batch.set_input(name);  // the Impl does not move: the name stays where it is
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void set_filter(const Filter& f);
  void open();
  void open_chunk(input::InputFormat used, input::Content content);
  void open_live(const input::InputSpec& spec);
  void step_live_stream();
  void step_live_udp();
  bool cancel_seen() const noexcept { return cancelled.load(std::memory_order_relaxed); }
  // A live step that waits with nothing to deliver: asks ReaderOptions::keep_waiting, at
  // most every app::kLiveWaitMs (a UDP step polls far more often); false cancels.
  void ask_keep_waiting();
  // A file's step that has nothing to deliver yet (a filter that passes little makes a step
  // read far): asks keep_waiting as a live wait does, between slices; true once cancelled
  // (the step ends, and the Reader with it). A new user's finding: Ctrl-C did not stop a
  // Python write whose filter passed nothing until the input's end.
  bool stop_asked() {
    if (batch.size() > 0 || !options.keep_waiting) return false;
    ask_keep_waiting();
    return cancel_seen();
  }
  std::chrono::steady_clock::time_point last_asked{};
  void step_stream();
  void step_chunk();
  void step_capture();
  void step();
  // Gives the file's pages before `offset` back once kReleaseBytes have gathered.
  void release_before(std::uint64_t offset);
  std::uint64_t released = 0;  // offset of the last release
};

namespace {

// A time for a message: UTC seconds where 100 ns ticks hold it, else microseconds.
std::string time_text(std::int64_t us) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max() / 10;
  if (us > kMax || us < -kMax) return std::to_string(us) + " us";
  return util::format_utc_seconds(us * 10);
}

// not_before after not_after lets nothing pass: refused as the command line refuses it
// (checked here, not as a bound is set: moving both bounds may pass such a state).
void check_time_range(const filter::FilterSpec& spec) {
  if (spec.not_before_us && spec.not_after_us && *spec.not_before_us > *spec.not_after_us)
    throw api::argument_error("Filter: nothing to filter, not_before " + time_text(*spec.not_before_us) +
                              " must be earlier than not_after " + time_text(*spec.not_after_us));
}

}  // namespace

void Reader::Impl::set_filter(const Filter& f) {
  filter::FilterSpec spec = detail::Access::spec(f);
  check_time_range(spec);
  if (spec.invert && !spec.any())
    throw api::argument_error("Filter: invert() needs a filter to invert (without one, nothing would pass)");
  if (!spec.any()) return;
  spec.catalogue = options.catalogue.has_value();
  filter.emplace(spec);  // a bad regular expression: util::option_error
  filter_sink = std::make_unique<filter::FilterSink>(*filter, filter::FilterSink::Context{}, batch, false);
  head = filter_sink.get();
}

void Reader::Impl::open() {
  // The content, not the name, tells the format (as on the command line).
  content = input::sniff_content(
      [&](std::size_t n) { return file ? file->head(n) : memory.first(std::min(n, memory.size())); });
  if (options.format == Format::automatic && input::is_compressed(content))
    throw util::input_error(name, input::compressed_message(content, name));
  used = options.format == Format::automatic ? input::format_of(content) : input_format(options.format);
  format = public_format(used);
  const dlt::Catalogue* catalogue = detail::Access::catalogue(options.catalogue);
  if (options.chunk_bytes > 0) {
    open_chunk(used, content);
    return;
  }
  if (used != input::InputFormat::Pcap) {
    framer = std::make_unique<dlt::Framer>(app::stream_format(used));
    framer->set_payload_gate(filter_sink.get());
    framer->set_catalogue(catalogue);
    if (file) framer->set_stop_flag(file->cut_flag());
    return;
  }
  if (!file) file.emplace(memory_file(memory, name));
  capture = pcap::CaptureReader::open(*file);
  if (!capture) {  // fewer than 4 bytes: nothing to decode
    ended = true;
    return;
  }
  dissect::CaptureDecoder::Options decoder_options =
      app::capture_decoder_options(*capture, options.udp_ports, options.tcp_ports, catalogue, name);
  decoder_options.payload_text = false;
  decoder_options.payload_gate = filter_sink.get();
  decoder = std::make_unique<dissect::CaptureDecoder>(decoder_options, *head);
  packets = std::make_unique<pcap::BatchReader>(*capture);
  if (file->is_mapped()) batch.set_stable(file->whole());  // packets are read in place
}

void Reader::Impl::open_chunk(input::InputFormat used, input::Content content) {
  // What the command line's parallel decoder cuts (app/dump_app.cpp): a mapped file whose
  // content confirms the format; chunk_points gives no cuts for anything else.
  if (used != input::InputFormat::File || !file || !file->is_mapped() ||
      !input::confirms(content, input::InputFormat::File))
    throw api::argument_error(name + ": not read in chunks: only a plain DLT file is (a regular file, uncompressed)");
  const std::span<const std::uint8_t> whole = file->whole();
  const std::uint64_t begin = options.chunk_begin;
  if (begin >= whole.size() || (begin != 0 && dlt::next_verified_packet(whole, begin) != begin))
    throw api::argument_error(name + ": " + std::to_string(begin) + " is no chunk start (see dltdump::chunk_points)");
  chunked = true;
  chunk_stop = dlt::next_cut(whole, begin, options.chunk_bytes);
  // Positions count from the file's start; the framer starts as the whole read's arrives at
  // `begin`: between packets, with no skip record open.
  framer = std::make_unique<dlt::Framer>(dlt::StreamFormat::File, begin);
  framer->set_payload_gate(filter_sink.get());
  framer->set_catalogue(detail::Access::catalogue(options.catalogue));
  framer->set_stop_flag(file->cut_flag());
  batch.set_stable(whole);
  offset = begin;
  released = begin;
}

void Reader::Impl::open_live(const input::InputSpec& spec) {
  if (options.chunk_bytes > 0)
    throw api::argument_error(name + ": not read in chunks: only a plain DLT file is (a live input is a stream)");
  live = spec;
  // The framing the command line uses: --format for TCP and serial (by default network and
  // serial), network for UDP datagrams.
  const dlt::StreamFormat framing = spec.kind == input::InputKind::Udp
                                        ? dlt::StreamFormat::Network
                                        : app::stream_format(input::resolve_format(spec, input_format(options.format)));
  format = framing == dlt::StreamFormat::Serial    ? Format::serial
           : framing == dlt::StreamFormat::Network ? Format::network
                                                   : Format::file;
  const dlt::Catalogue* catalogue = detail::Access::catalogue(options.catalogue);
  if (spec.kind == input::InputKind::Udp) {
    dissect::CaptureDecoder::Options decoder_options;
    decoder_options.payload_text = false;
    decoder_options.payload_gate = filter_sink.get();
    decoder_options.catalogue = catalogue;
    live_udp = std::make_unique<app::LiveUdp>(spec.udp, decoder_options, *head);
    live_udp->start(nullptr);
    return;
  }
  if (spec.kind == input::InputKind::Tcp) {
    std::string why;
    const int fd = app::connect_live_tcp(spec, why);
    if (fd < 0) throw app::tcp_connect_error(spec, why);
    live_fd = util::ScopedFd(fd);
  } else {
    const input::OpenedSerialPort opened = input::open_serial_port(spec.serial);
    live_fd = util::ScopedFd(opened.fd);
    if (opened.warning) live_warning = opened.warning->text;
  }
  live_stream = std::make_unique<app::LiveByteStream>(live_fd.get(), framing, 0, *head);
  live_stream->framer().set_payload_gate(filter_sink.get());
  live_stream->framer().set_catalogue(catalogue);
}

void Reader::Impl::ask_keep_waiting() {
  if (!options.keep_waiting || cancel_seen()) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_asked < std::chrono::milliseconds(app::kLiveWaitMs)) return;
  last_asked = now;
  if (!options.keep_waiting()) cancelled.store(true, std::memory_order_relaxed);
}

// A live byte stream: the first wait is bounded (app::kLiveWaitMs) and repeated until
// messages came, the stream ended or the reader was cancelled; then the bytes already
// there are read without waiting, up to a batch.
void Reader::Impl::step_live_stream() {
  using Status = input::LiveRead::Status;
  for (;;) {
    Status status = Status::Closed;  // a cancelled reader ends as a closed stream does
    if (!cancel_seen()) status = live_stream->step(batch.size() > 0 ? 0 : app::kLiveWaitMs);
    offset = live_stream->fed();
    if (status == Status::Closed || status == Status::Failed) {
      // A reset TCP connection ends the stream as a close does, as on the command line; a
      // serial port's failure is its warning.
      if (status == Status::Failed && live->kind == input::InputKind::Serial) {
        const std::string stopped = app::serial_stopped(*live, live_stream->error());
        if (!stopped.empty()) live_warning = stopped;
      }
      live_stream->finish();  // a partial packet at the end is a skip record
      offset = live_stream->fed();
      ended = true;
      return;
    }
    if (batch.size() >= options.batch_messages || (status == Status::Idle && batch.size() > 0)) return;
    if (batch.size() == 0) ask_keep_waiting();
  }
}

// UDP: the receive thread queues datagrams; a step decodes what is queued, waiting while
// nothing is. Cancelled, the receive thread stops and what it queued is decoded first.
void Reader::Impl::step_live_udp() {
  for (;;) {
    if (cancel_seen()) live_udp->stop();
    if (live_udp->poll() == 0) {
      if (live_udp->drained()) {
        live_udp->decoder().finish();
        ended = true;
        return;
      }
      if (batch.size() > 0) return;
      app::LiveUdp::pause();
      ask_keep_waiting();
    } else if (batch.size() >= options.batch_messages) {
      return;
    }
  }
}

void Reader::Impl::release_before(std::uint64_t at) {
  if (at < released + kReleaseBytes) return;
  file->release_before(at);
  released = at;
}

void Reader::Impl::step_chunk() {
  const std::span<const std::uint8_t> whole = file->whole();
  release_before(framer->fed());  // the last batch is done with
  while (batch.size() < options.batch_messages) {
    const std::uint64_t at = framer->fed();
    if (at > chunk_stop) {
      // A packet straddled the cut: read on to the next cut, as the parallel decoder does.
      chunk_stop = dlt::next_cut(whole, chunk_stop, options.chunk_bytes);
      continue;
    }
    if (at == chunk_stop) {
      // Ended exactly on the cut: the skip record before it is the chunk's (the whole
      // read delivers it before the packet at the cut).
      file->check_not_shrunk();
      dlt::FramerSplit::flush_pending(*framer, *head);
      ended = true;
      return;
    }
    if (stop_asked()) return;
    // A slice at a time, so that a step stops near batch_messages; decoding to the cut in
    // slices frames as one call does (a skip record stays open across them).
    dlt::FramerSplit::decode_until(*framer, whole.subspan(at), std::min(chunk_stop, at + kSliceBytes), *head);
    offset = framer->fed();
    const std::atomic<bool>* cut = file->cut_flag();
    if (cut && cut->load(std::memory_order_relaxed)) file->check_not_shrunk();  // cut by another program
  }
  file->check_not_shrunk();
}

void Reader::Impl::step_stream() {
  const bool mapped = file && file->is_mapped();
  if (mapped) release_before(framer->fed());  // the last batch is done with
  while (batch.size() < options.batch_messages) {
    if (window_pos == window.size()) {
      // A pipe's next window overwrites this one, which the batch's messages may view.
      if (batch.size() > 0) break;
      if (file) {
        if (!window.empty()) file->check_not_shrunk();
        try {
          window = file->next_window();
        } catch (const util::Error& e) {
          // A fault of the stream (a corrupt compressed input) ends it as the command line
          // does (app/dump_app.cpp, decode_stream): the skip open there and the packet it
          // cut are skipped bytes, as at an input's end — not for a stream that ends early
          // (util::Error::cut), whose partial packet is dropped —; the error comes next.
          if (!e.cut()) framer->finish(*head);
          deferred = e;
          return;
        }
      } else {
        window = memory_fed ? std::span<const std::uint8_t>{} : memory;
        memory_fed = true;
      }
      window_pos = 0;
      if (window.empty()) {
        framer->finish(*head);
        ended = true;
        return;
      }
      batch.set_stable(mapped ? file->whole() : window);
    }
    if (stop_asked()) return;
    const std::size_t n = std::min(kSliceBytes, window.size() - window_pos);
    framer->feed(window.subspan(window_pos, n), *head);
    window_pos += n;
    offset = framer->fed();
  }
}

void Reader::Impl::step_capture() {
  while (batch.size() < options.batch_messages) {
    if (stop_asked()) return;
    const std::span<const aio::Packet> got = packets->next();
    if (got.empty()) {
      file->check_not_shrunk();  // a cut capture's open flows are not flushed as if it ended
      decoder->finish();
      if (packets->fault()) deferred = *packets->fault();  // a malformed capture, after what came before
      const std::string nothing = decoder->nothing_found();
      if (!deferred && !nothing.empty()) deferred = util::input_error(name, name + ": " + nothing);
      ended = !deferred;
      return;
    }
    decoder->take(got);
    offset = got.back().offset + got.back().size;
  }
}

void Reader::Impl::step() {
  batch.clear();
  views.clear();
  if (!live && cancel_seen()) ended = true;  // a file or memory ends at once; a live input below
  while (!ended && batch.size() == 0) {      // a step delivers at least one message, or ends
    if (!live && cancel_seen()) {            // keep_waiting said no (stop_asked)
      ended = true;
      break;
    }
    try {
      if (deferred) {
        const util::Error e = *deferred;
        deferred.reset();
        throw e;
      }
      if (live_stream) step_live_stream();
      else if (live_udp) step_live_udp();
      else if (chunked) step_chunk();
      else if (framer) step_stream();
      else if (decoder) step_capture();
      else ended = true;
    } catch (...) {
      ended = true;
      api::rethrow_as_api_error(name, offset);
    }
  }
  views.reserve(batch.size());
  for (const dlt::Message& m : batch.records()) views.push_back(detail::Access::message(m));
}

namespace {

// Options that can never read anything are refused, not read as nothing: a capture's
// messages come from the ports given, so a list without one is a mistake.
void check_options(const ReaderOptions& options) {
  if (options.udp_ports.empty())
    throw api::argument_error("ReaderOptions: udp_ports is empty (a capture's UDP datagrams need a port to go to)");
  if (options.tcp_ports.empty())
    throw api::argument_error("ReaderOptions: tcp_ports is empty (a capture's TCP segments need a port)");
}

}  // namespace

Reader::Reader(const std::string& path, const Filter& filter, ReaderOptions options)
    : impl_(std::make_unique<Impl>(path, std::move(options))) {
  try {
    api::check_name(path);
    check_options(impl_->options);
    impl_->set_filter(filter);
    const input::InputSpec spec = input::parse_input_argument(path);
    if (spec.is_live()) {
      impl_->open_live(spec);
      return;
    }
    // Compressed data is read decompressed, as on the command line (input/decompressed_input.hpp);
    // what is said about reading it names it as given, as there.
    impl_->file.emplace(input::open_sniffed(spec.kind == input::InputKind::Stdin ? "-" : spec.path,
                                            input_format(impl_->options.format),
                                            compress::Limits{.max_ratio = impl_->options.max_ratio}, path)
                            .file);
    impl_->open();
  } catch (...) {
    api::rethrow_as_api_error(path, std::nullopt);
  }
}

Reader Reader::from_memory(std::span<const std::uint8_t> bytes, const Filter& filter, ReaderOptions options,
                           const std::string& name) {
  auto impl = std::make_unique<Impl>(name, std::move(options));
  try {
    check_options(impl->options);
    impl->set_filter(filter);
    if (impl->options.chunk_bytes > 0)
      throw api::argument_error(name + ": bytes in memory are read whole, not in chunks (ReaderOptions::chunk_bytes)");
    impl->memory = bytes;
    impl->open();
  } catch (...) {
    api::rethrow_as_api_error(name, std::nullopt);
  }
  return Reader(std::move(impl));
}

Reader::Reader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Reader::Reader(Reader&& other) noexcept = default;
Reader& Reader::operator=(Reader&& other) noexcept = default;
Reader::~Reader() = default;

// A moved-from Reader has no Impl: it is at its end, with no name and nothing read.
std::span<const Message> Reader::next_batch() {
  if (!impl_) return {};
  impl_->step();
  return impl_->views;
}

const std::string& Reader::name() const noexcept {
  static const std::string none;
  return impl_ ? impl_->name : none;
}
Format Reader::format() const noexcept { return impl_ ? impl_->format : Format::file; }
std::uint64_t Reader::skipped_bytes() const noexcept { return impl_ ? impl_->batch.skipped_bytes() : 0; }

std::uint64_t detail::Access::serial(const Reader& reader) { return reader.impl_ ? reader.impl_->serial : 0; }

const std::vector<api::MessageBatch::Skip>& detail::Access::skips_of(const Reader& reader) {
  static const std::vector<api::MessageBatch::Skip> kNone;
  return reader.impl_ ? reader.impl_->batch.skips() : kNone;
}
std::uint64_t Reader::offset() const noexcept { return impl_ ? impl_->offset : 0; }

Reader::Datagrams Reader::datagrams() const noexcept {
  if (!impl_ || !impl_->live_udp) return {};
  const app::LiveUdp& udp = *impl_->live_udp;
  return {udp.receiver().datagrams(), udp.receiver().kernel_drops(), udp.ring().overruns()};
}

void Reader::cancel() noexcept {
  if (impl_) impl_->cancelled.store(true, std::memory_order_relaxed);
}

std::string Reader::warning() const {
  if (impl_ && impl_->live) return impl_->ended ? impl_->live_warning : std::string();
  if (!impl_ || !impl_->ended || !impl_->framer) return {};
  const std::uint64_t skipped = impl_->batch.skipped_bytes();
  if (skipped == 0 || skipped != impl_->framer->fed()) return {};  // some bytes were messages
  return input::skipped_only_warning(impl_->name, skipped, impl_->used, impl_->content).text;
}

}  // namespace dltdump
