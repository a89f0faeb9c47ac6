#include "app/live_stream.hpp"

#include <cerrno>
#include <chrono>
#include <utility>

#include "input/tcp_connection.hpp"
#include "util/stop_signal.hpp"

namespace dltdump::app {

util::Timestamp pc_clock() { return {pcap::realtime_ns() / 1000, true}; }

int connect_live_tcp(const input::InputSpec& spec, std::string& why) {
  return input::connect_tcp(spec.tcp, kTcpConnectTimeoutMs, why);
}

util::Error tcp_connect_error(const input::InputSpec& spec, const std::string& why) {
  return util::input_error(spec.argument,
                           "Couldn't connect to the stream end-point " + spec.tcp.name() + " (" + why + ").");
}

std::string serial_stopped(const input::InputSpec& spec, int error) {
  if (error == EIO) return {};
  return util::with_os_reason("Serial port " + spec.serial.port + " stopped", error);
}

LiveByteStream::LiveByteStream(int fd, dlt::StreamFormat format, std::uint64_t offset, dlt::FramerSink& sink)
    : fd_(fd), stamped_(format != dlt::StreamFormat::File), sink_(sink), framer_(format, offset), buffer_(256u << 10) {
  framer_.set_units(true);  // what one receive returned: where the sender's writes end, mostly
}

input::LiveRead::Status LiveByteStream::step(int wait_ms) {
  const input::LiveRead r = input::read_live(fd_, buffer_, wait_ms);
  if (r.status == input::LiveRead::Status::Data) {
    now_ = pc_clock();
    framer_.feed({buffer_.data(), r.bytes}, *this);
  } else if (r.status == input::LiveRead::Status::Failed) {
    error_ = r.error;
  }
  return r.status;
}

void LiveByteStream::finish() {
  now_ = pc_clock();
  framer_.finish(*this);
}

void LiveByteStream::on_message(const dlt::Message& m) {
  if (!stamped_) return sink_.on_message(m);
  dlt::Message stamped = m;
  stamped.time = now_;
  sink_.on_message(stamped);
}

void LiveByteStream::on_skip(const dlt::SkipRecord& s) {
  if (!stamped_) return sink_.on_skip(s);
  dlt::SkipRecord stamped = s;
  stamped.time = now_;
  sink_.on_skip(stamped);
}

namespace {

dissect::CaptureDecoder::Options udp_decoder_options(dissect::CaptureDecoder::Options options, std::uint16_t port) {
  options.udp_ports = {port};
  return options;
}

}  // namespace

aio::Ring::Options LiveUdp::ring_options() {
  aio::Ring::Options o;
  o.slots = 1u << 16;
  o.bytes = 128u << 20;  // ≈ 2 s of a saturated 1 Gbit/s link
  o.mode = aio::Ring::Mode::Live;
  return o;
}

LiveUdp::LiveUdp(const input::UdpEndpoint& endpoint, dissect::CaptureDecoder::Options options, dlt::FramerSink& sink)
    : receiver_({endpoint.address, endpoint.port, endpoint.bind_to}), ring_(ring_options()),
      decoder_(udp_decoder_options(std::move(options), receiver_.port()), sink) {}

void LiveUdp::start(pcap::PcapngWriter* capture) {
  if (capture) tap_.emplace(&ring_, *capture, 0, aio::Direction::Inbound);
  thread_ = std::thread([this] { receive_loop(); });
}

LiveUdp::~LiveUdp() { stop(); }

void LiveUdp::pause() { std::this_thread::sleep_for(std::chrono::microseconds(200)); }

void LiveUdp::stop() {
  stop_.store(true, std::memory_order_relaxed);
  if (thread_.joinable()) thread_.join();
}

// The receive thread: receiver → (capture tap →) ring, until asked to stop; it also flushes
// the capture file every kLiveFlushSeconds (its writer lives on this thread). The ring is closed on the
// way out, so the polls drain it and the input ends.
void LiveUdp::receive_loop() {
  aio::Aio& first_stage = tap_ ? static_cast<aio::Aio&>(*tap_) : ring_;
  constexpr auto kFlushInterval = std::chrono::seconds(kLiveFlushSeconds);
  auto next_flush = std::chrono::steady_clock::now() + kFlushInterval;
  while (!stop_.load(std::memory_order_relaxed) && !util::stop_requested()) {
    receiver_.receive(first_stage, kLiveWaitMs);
    if (std::chrono::steady_clock::now() >= next_flush) {
      first_stage.send({}, nullptr, true);
      next_flush = std::chrono::steady_clock::now() + kFlushInterval;
    }
  }
  ring_.close();
}

}  // namespace dltdump::app
