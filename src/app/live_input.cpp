#include "app/live_input.hpp"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <optional>
#include <thread>

#include "aio/ring.hpp"
#include "dissect/capture_decoder.hpp"
#include "filter/filter_sink.hpp"
#include "input/live_read.hpp"
#include "input/serial_port.hpp"
#include "input/tcp_connection.hpp"
#include "input/udp_receiver.hpp"
#include "pcap/capture_tap.hpp"
#include "pcap/pcapng_writer.hpp"
#include "util/create_file.hpp"
#include "util/error.hpp"
#include "util/fd_writer.hpp"
#include "util/scoped_fd.hpp"
#include "util/stop_signal.hpp"
#include "util/value_text.hpp"

namespace dltdump::app {

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr int kWaitMs = 100;  // longest wait before the loops look at the stop request again
constexpr auto kTcpIdleEnd = std::chrono::seconds(5);
constexpr int kTcpConnectTimeoutMs = 5000;
constexpr auto kRetryPause = std::chrono::seconds(1);

util::Timestamp pc_clock() { return {pcap::realtime_ns() / 1000, true}; }

// Flushes the output when kLiveFlushSeconds have passed since the last flush.
class FlushTimer {
 public:
  explicit FlushTimer(output::LineOutput& sink) : sink_(sink), next_(SteadyClock::now() + interval()) {}
  void tick() {
    const auto now = SteadyClock::now();
    if (now < next_) return;
    sink_.flush();
    next_ = now + interval();
  }

 private:
  static std::chrono::seconds interval() { return std::chrono::seconds(kLiveFlushSeconds); }
  output::LineOutput& sink_;
  SteadyClock::time_point next_;
};

// Gives every event of a byte stream the PC time at which its bytes arrived (spec §1.6:
// network and serial data have no time of their own), or passes events on untouched when
// `enabled` is false (a stream with storage headers).
class PcClockStamp final : public dlt::FramerSink {
 public:
  PcClockStamp(dlt::FramerSink& next, bool enabled) : next_(next), enabled_(enabled) {}
  void set(util::Timestamp now) { now_ = now; }
  void on_message(const dlt::Message& m) override {
    if (!enabled_) return next_.on_message(m);
    dlt::Message stamped = m;
    stamped.time = now_;
    next_.on_message(stamped);
  }
  void on_skip(const dlt::SkipRecord& s) override {
    if (!enabled_) return next_.on_skip(s);
    dlt::SkipRecord stamped = s;
    stamped.time = now_;
    next_.on_skip(stamped);
  }

 private:
  dlt::FramerSink& next_;
  bool enabled_;
  util::Timestamp now_;
};

// Sleeps up to `pause`, returning early on a stop request; the output keeps being flushed.
void pause_for(SteadyClock::duration pause, FlushTimer& flush) {
  const auto until = SteadyClock::now() + pause;
  while (!util::stop_requested() && SteadyClock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(kWaitMs));
    flush.tick();
  }
}

enum class StreamEnd { Closed, Idle, Failed, Stopped };

// Feeds what arrives on `fd` to a framer of `format` until the stream ends: the peer
// closes it, a read fails, nothing arrives for `idle_end` (if set), or a stop is
// requested. `offset` is the stream offset of the first byte and is advanced past the last.
StreamEnd pump_stream(int fd, dlt::StreamFormat format, std::uint64_t& offset,
                      std::optional<SteadyClock::duration> idle_end, Pipeline& pipeline, FlushTimer& flush,
                      int& error) {
  dlt::Framer framer(format, offset);
  framer.set_units(true);  // what one receive returned: where the sender's writes end, mostly
  pipeline.attach(framer);
  PcClockStamp stamp(pipeline.head(), format != dlt::StreamFormat::File);
  std::vector<std::uint8_t> buffer(256u << 10);
  auto last_data = SteadyClock::now();
  StreamEnd end;
  for (;;) {
    if (util::stop_requested()) {
      end = StreamEnd::Stopped;
      break;
    }
    const input::LiveRead r = input::read_live(fd, buffer, kWaitMs);
    if (r.status == input::LiveRead::Status::Data) {
      last_data = SteadyClock::now();
      stamp.set(pc_clock());
      framer.feed({buffer.data(), r.bytes}, stamp);
    } else if (r.status == input::LiveRead::Status::Closed) {
      end = StreamEnd::Closed;
      break;
    } else if (r.status == input::LiveRead::Status::Failed) {
      error = r.error;
      end = StreamEnd::Failed;
      break;
    } else if (idle_end && SteadyClock::now() - last_data >= *idle_end) {
      end = StreamEnd::Idle;
      break;
    }
    flush.tick();
  }
  stamp.set(pc_clock());
  framer.finish(stamp);  // a partial packet at the end is a skip record (§4)
  offset = framer.fed();
  return end;
}

void print_diagnostic(Pipeline& pipeline, int diag_fd, const std::string& line) {
  pipeline.sink.flush();  // on a terminal showing both streams, the line comes where it happened
  util::write_all(diag_fd, util::printable(line) + "\n");
}

// Connects with the retry budget of --retries (attempts = retries + 1; forever when
// negative). Returns the socket, or -1 when every attempt failed (`why`: the last reason)
// or a stop was requested.
int connect_with_retries(const input::TcpEndpoint& endpoint, int retries, Pipeline& pipeline, int diag_fd,
                         FlushTimer& flush, std::string& why) {
  for (long attempt = 0;; ++attempt) {
    const int fd = input::connect_tcp(endpoint, kTcpConnectTimeoutMs, why);
    if (fd >= 0 || util::stop_requested()) return fd;
    if (retries >= 0 && attempt >= retries) return -1;
    print_diagnostic(pipeline, diag_fd,
                     "Couldn't connect to " + endpoint.name() + ". Retry " + std::to_string(attempt + 1) + "...");
    pause_for(kRetryPause, flush);
    if (util::stop_requested()) return -1;
  }
}

void decode_tcp(const input::InputSpec& spec, dlt::StreamFormat framing, const DumpConfig& config, Pipeline& pipeline,
                int diag_fd) {
  FlushTimer flush(pipeline.sink);
  std::uint64_t offset = 0;
  bool connected = false;
  for (;;) {
    std::string why;
    const int fd = connect_with_retries(spec.tcp, config.retries, pipeline, diag_fd, flush, why);
    if (fd < 0) {
      if (util::stop_requested()) return;
      const std::string message = "Couldn't connect to the stream end-point " + spec.tcp.name() + " (" + why + ").";
      if (!connected) throw util::input_error(spec.argument, message);
      print_diagnostic(pipeline, diag_fd, message);  // the recording ends here, complete
      return;
    }
    connected = true;
    const util::ScopedFd socket(fd);
    int error = 0;  // a reset connection ends the stream like a close
    const StreamEnd end = pump_stream(socket.get(), framing, offset, kTcpIdleEnd, pipeline, flush, error);
    if (end == StreamEnd::Stopped || config.retries == 0) return;
  }
}

void decode_serial(const input::InputSpec& spec, dlt::StreamFormat framing, Pipeline& pipeline, int diag_fd) {
  const input::OpenedSerialPort opened = input::open_serial_port(spec.serial);
  const util::ScopedFd port(opened.fd);
  if (opened.warning) util::write_all(diag_fd, opened.warning->text + "\n");
  FlushTimer flush(pipeline.sink);
  std::uint64_t offset = 0;
  int error = 0;
  const StreamEnd end = pump_stream(port.get(), framing, offset, std::nullopt, pipeline, flush, error);
  if (end == StreamEnd::Failed && error != EIO)  // EIO: the device went away (unplugged, pty closed)
    util::write_all(diag_fd, util::with_os_reason("Serial port " + spec.serial.port + " stopped", error) + "\n");
}

// The --capture file: raw IPv4 datagrams as received, one interface.
struct CaptureFile {
  int fd;
  pcap::PcapngWriter writer;
  CaptureFile(const std::string& name, bool force, const std::string& interface_name)
      : fd(util::create_file(name, force, "capture file")), writer(fd, name, pcap::this_machine_section_info()) {
    writer.add_interface({aio::link_type::kRaw, interface_name, 0});
  }
  ~CaptureFile() { ::close(fd); }
};

// The receive thread: receiver → (capture tap →) ring, until asked to stop; it also
// flushes the capture file every kLiveFlushSeconds. The ring is closed on the way out, so
// the decoder drains it and ends.
class ReceiveThread {
 public:
  ReceiveThread(input::UdpReceiver& receiver, aio::Aio& first_stage, aio::Ring& ring)
      : thread_([this, &receiver, &first_stage, &ring] {
          auto next_flush = SteadyClock::now() + std::chrono::seconds(kLiveFlushSeconds);
          while (!stop_.load(std::memory_order_relaxed) && !util::stop_requested()) {
            receiver.receive(first_stage, kWaitMs);
            if (SteadyClock::now() >= next_flush) {  // the capture file's writer lives on this thread
              first_stage.send({}, nullptr, true);
              next_flush = SteadyClock::now() + std::chrono::seconds(kLiveFlushSeconds);
            }
          }
          ring.close();
        }) {}
  ~ReceiveThread() { stop(); }
  void stop() {
    stop_.store(true, std::memory_order_relaxed);
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

void decode_udp(const input::InputSpec& spec, const DumpConfig& config, Pipeline& pipeline, int diag_fd) {
  const input::UdpEndpoint& endpoint = spec.udp;
  input::UdpReceiver receiver({endpoint.address, endpoint.port, endpoint.bind_to});
  std::optional<CaptureFile> capture;
  if (!config.capture.empty()) capture.emplace(config.capture, config.force, spec.argument);

  aio::Ring::Options ring_options;
  ring_options.slots = 1u << 16;
  ring_options.bytes = 128u << 20;  // ≈ 2 s of a saturated 1 Gbit/s link
  ring_options.mode = aio::Ring::Mode::Live;
  aio::Ring ring(ring_options);
  std::optional<pcap::CaptureTap> tap;
  if (capture) tap.emplace(&ring, capture->writer, 0, aio::Direction::Inbound);

  dissect::CaptureDecoder::Options options;
  options.udp_ports = {receiver.port()};
  options.capture_minimum = false;
  options.payload_gate = pipeline.gate();
  options.payload_text = pipeline.payload_text();
  options.catalogue = pipeline.catalogue;
  dissect::CaptureDecoder decoder(options, pipeline.head());
  FlushTimer flush(pipeline.sink);
  bool max_count_reached = false;
  {
    ReceiveThread receive(receiver, tap ? static_cast<aio::Aio&>(*tap) : ring, ring);
    try {
      for (;;) {
        // What the output throws passes through the poll; leaving this scope stops the
        // receive thread first.
        const std::size_t n = ring.poll(decoder);
        if (n == 0) {
          if (ring.drained()) break;
          std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        flush.tick();
      }
    } catch (const filter::MaxCountReached&) {
      // -m: the input ends here, but its report and --capture file end as at a stop (the
      // open flows are not flushed: their lines would come after the last match).
      max_count_reached = true;
    }
  }
  if (!max_count_reached) decoder.finish();

  std::string report = spec.udp.name() + ": " + std::to_string(receiver.datagrams()) + " datagrams received, " +
                       std::to_string(receiver.kernel_drops()) + " dropped by the kernel, " +
                       std::to_string(ring.overruns()) + " dropped by dltdump";
  if (const dissect::CaptureLosses losses = decoder.losses(); losses.any()) report += "; " + losses.text();
  util::write_all(diag_fd, report + "\n");
  if (capture) {
    capture->writer.count_os_dropped(0, receiver.kernel_drops());
    capture->writer.count_dropped(0, ring.overruns());
    if (tap->capture_errors() > 0) throw util::output_error(config.capture, tap->error());
    capture->writer.close(pcap::realtime_ns());
  }
}

}  // namespace

std::string live_input_name(const input::InputSpec& spec) {
  std::string source;
  switch (spec.kind) {
    case input::InputKind::Tcp: source = spec.tcp.name(); break;
    case input::InputKind::Udp: source = spec.udp.name(); break;
    default: source = "ser:" + spec.serial.port; break;
  }
  std::string name;
  for (char c : source) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '-';
    if (keep) name += c;
    else if (!name.empty() && name.back() != '_') name += '_';
  }
  return name;
}

void decode_live(const input::InputSpec& spec, dlt::StreamFormat framing, const DumpConfig& config, Pipeline& pipeline,
                 int diag_fd) {
  util::install_stop_handlers();
  switch (spec.kind) {
    case input::InputKind::Tcp: decode_tcp(spec, framing, config, pipeline, diag_fd); break;
    case input::InputKind::Udp: decode_udp(spec, config, pipeline, diag_fd); break;
    case input::InputKind::Serial: decode_serial(spec, framing, pipeline, diag_fd); break;
    default: break;
  }
}

}  // namespace dltdump::app
