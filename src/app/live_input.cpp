#include "app/live_input.hpp"

#include <unistd.h>

#include <cctype>
#include <chrono>
#include <optional>
#include <thread>

#include "dissect/capture_decoder.hpp"
#include "filter/filter_sink.hpp"
#include "input/live_read.hpp"
#include "input/serial_port.hpp"
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

constexpr auto kTcpIdleEnd = std::chrono::seconds(5);
constexpr auto kRetryPause = std::chrono::seconds(1);

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

// Sleeps up to `pause`, returning early on a stop request; the output keeps being flushed.
void pause_for(SteadyClock::duration pause, FlushTimer& flush) {
  const auto until = SteadyClock::now() + pause;
  while (!util::stop_requested() && SteadyClock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(kLiveWaitMs));
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
  LiveByteStream stream(fd, format, offset, pipeline.head());
  pipeline.attach(stream.framer());
  auto last_data = SteadyClock::now();
  StreamEnd end;
  for (;;) {
    if (util::stop_requested()) {
      end = StreamEnd::Stopped;
      break;
    }
    const input::LiveRead::Status status = stream.step(kLiveWaitMs);
    if (status == input::LiveRead::Status::Data) {
      last_data = SteadyClock::now();
    } else if (status == input::LiveRead::Status::Closed) {
      end = StreamEnd::Closed;
      break;
    } else if (status == input::LiveRead::Status::Failed) {
      error = stream.error();
      end = StreamEnd::Failed;
      break;
    } else if (idle_end && SteadyClock::now() - last_data >= *idle_end) {
      end = StreamEnd::Idle;
      break;
    }
    flush.tick();
  }
  stream.finish();  // a partial packet at the end is a skip record (§4)
  offset = stream.fed();
  return end;
}

void print_diagnostic(Pipeline& pipeline, int diag_fd, const std::string& line) {
  pipeline.sink.flush();  // on a terminal showing both streams, the line comes where it happened
  util::write_all(diag_fd, util::printable(line) + "\n");
}

// Connects with the retry budget of --retries (attempts = retries + 1; forever when
// negative). Returns the socket, or -1 when every attempt failed (`why`: the last reason)
// or a stop was requested.
int connect_with_retries(const input::InputSpec& spec, int retries, Pipeline& pipeline, int diag_fd, FlushTimer& flush,
                         std::string& why) {
  const input::TcpEndpoint& endpoint = spec.tcp;
  for (long attempt = 0;; ++attempt) {
    const int fd = connect_live_tcp(spec, why);
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
    const int fd = connect_with_retries(spec, config.retries, pipeline, diag_fd, flush, why);
    if (fd < 0) {
      if (util::stop_requested()) return;
      const util::Error failure = tcp_connect_error(spec, why);
      if (!connected) throw failure;
      print_diagnostic(pipeline, diag_fd, failure.what());  // the recording ends here, complete
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
  if (end == StreamEnd::Failed) {
    const std::string stopped = serial_stopped(spec, error);
    if (!stopped.empty()) util::write_all(diag_fd, stopped + "\n");
  }
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

void decode_udp(const input::InputSpec& spec, const DumpConfig& config, Pipeline& pipeline, int diag_fd) {
  dissect::CaptureDecoder::Options options;
  options.payload_gate = pipeline.gate();
  options.payload_text = pipeline.payload_text();
  options.catalogue = pipeline.catalogue;
  std::optional<CaptureFile> capture;  // before `udp`: its receive thread writes it
  LiveUdp udp(spec.udp, options, pipeline.head());
  if (!config.capture.empty()) capture.emplace(config.capture, config.force, spec.argument);
  udp.start(capture ? &capture->writer : nullptr);
  FlushTimer flush(pipeline.sink);
  bool max_count_reached = false;
  try {
    for (;;) {
      // What the output throws passes through the poll; the receive thread is stopped
      // below, or by LiveUdp's destructor.
      const std::size_t n = udp.poll();
      if (n == 0) {
        if (udp.drained()) break;
        LiveUdp::pause();
      }
      flush.tick();
    }
  } catch (const filter::MaxCountReached&) {
    // -m: the input ends here, but its report and --capture file end as at a stop (the
    // open flows are not flushed: their lines would come after the last match).
    max_count_reached = true;
  }
  udp.stop();
  if (!max_count_reached) udp.decoder().finish();

  const input::UdpReceiver& receiver = udp.receiver();
  std::string report = spec.udp.name() + ": " + std::to_string(receiver.datagrams()) + " datagrams received, " +
                       std::to_string(receiver.kernel_drops()) + " dropped by the kernel, " +
                       std::to_string(udp.ring().overruns()) + " dropped by dltdump";
  if (const dissect::CaptureLosses losses = udp.decoder().losses(); losses.any()) report += "; " + losses.text();
  util::write_all(diag_fd, report + "\n");
  if (capture) {
    capture->writer.count_os_dropped(0, receiver.kernel_drops());
    capture->writer.count_dropped(0, udp.ring().overruns());
    if (udp.tap()->capture_errors() > 0) throw util::output_error(config.capture, udp.tap()->error());
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
