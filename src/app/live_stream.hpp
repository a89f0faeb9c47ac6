// The steps of a live input (dltdump-spec §1.5) that the command line's loops
// (app/live_input.cpp: flush timers, retries, --capture, Ctrl-C) and the library's
// dltdump::Reader (src/api/reader.cpp: a batch at a time, Reader::cancel) both take, so
// that a live input is opened, framed and stamped one way:
//
//   * connect_live_tcp: one connection attempt, its failure named as the input was given;
//   * LiveByteStream: a connected TCP socket or an open serial port, each step one bounded
//     wait and read, fed to a framer whose events carry the PC clock of their arrival;
//   * LiveUdp: the UDP receiver on a thread of its own (→ the --capture tap → a live-mode
//     ring), the ring's packets decoded on the caller's thread by a capture decoder (one
//     framer per sender, the kernel's receive time as the message time).
//
// Every wait is bounded (kLiveWaitMs), so a caller sees its stop request that often.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "aio/ring.hpp"
#include "dissect/capture_decoder.hpp"
#include "dlt/framer.hpp"
#include "input/input_spec.hpp"
#include "input/live_read.hpp"
#include "input/udp_receiver.hpp"
#include "pcap/capture_tap.hpp"
#include "pcap/pcapng_writer.hpp"
#include "util/error.hpp"

namespace dltdump::app {

inline constexpr int kLiveFlushSeconds = 5;  // the output (and --capture file) is flushed this often
inline constexpr int kLiveWaitMs = 100;      // longest wait before a loop looks at its stop request again
inline constexpr int kTcpConnectTimeoutMs = 5000;

// The PC clock now, as a line's time (network and serial data have none of their own).
util::Timestamp pc_clock();

// One attempt to connect to the TCP endpoint of `spec`, giving up after
// kTcpConnectTimeoutMs or at a stop request (util::stop_requested). Returns the connected
// non-blocking socket (the caller closes it), or -1 with the reason in `why`.
int connect_live_tcp(const input::InputSpec& spec, std::string& why);
// What a failed connection says: `Couldn't connect to the stream end-point
// tcp://<host>:<port> (<why>).`, an input error of `spec.argument` (the input as given).
util::Error tcp_connect_error(const input::InputSpec& spec, const std::string& why);

// What a serial port whose read failed with `error` says (`Serial port <port> stopped
// (<reason>)`, a warning: what came before is the recording), or "" for EIO, the device
// going away (unplugged, a pseudo-terminal closed): the recording's normal end.
std::string serial_stopped(const input::InputSpec& spec, int error);

// A connected TCP stream or an open serial port (`fd`, kept open by the caller) framed as
// `format` from stream offset `offset`: every event goes to `sink` with the PC time at
// which its bytes arrived, unless the format is File (storage headers carry their own time,
// spec §1.6). The caller sets the framer up (gate, catalogue, payload text) before the first
// step.
class LiveByteStream final : private dlt::FramerSink {
 public:
  LiveByteStream(int fd, dlt::StreamFormat format, std::uint64_t offset, dlt::FramerSink& sink);
  LiveByteStream(const LiveByteStream&) = delete;
  LiveByteStream& operator=(const LiveByteStream&) = delete;

  dlt::Framer& framer() noexcept { return framer_; }
  // Waits up to `wait_ms` for bytes and feeds what arrived. Data: bytes were fed; Idle:
  // none came; Closed: the peer closed the stream; Failed: a read failed (error()).
  input::LiveRead::Status step(int wait_ms);
  // The stream ended: a partial packet at its end becomes a skip record (§4).
  void finish();
  // Stream offset past the last byte fed.
  std::uint64_t fed() const noexcept { return framer_.fed(); }
  int error() const noexcept { return error_; }  // errno of the failed read

 private:
  void on_message(const dlt::Message& m) override;
  void on_skip(const dlt::SkipRecord& s) override;

  int fd_;
  bool stamped_;
  dlt::FramerSink& sink_;
  dlt::Framer framer_;
  util::Timestamp now_;
  std::vector<std::uint8_t> buffer_;
  int error_ = 0;
};

// A UDP input (unicast or multicast): opens the socket at once and, once started, receives
// on a thread of its own until stop(); poll() decodes, on the caller's thread, what the
// receive thread queued, into `sink`. A slow caller never blocks the receiver: the ring
// (live mode) and the socket buffer absorb it, and what they lost is counted (receiver(),
// ring()).
class LiveUdp {
 public:
  // `options`: the decoder's gate, payload text and catalogue (its ports and the capture
  // minimum are set here). Throws util::input_error (named by the endpoint) when the socket
  // cannot be opened, bound or joined.
  LiveUdp(const input::UdpEndpoint& endpoint, dissect::CaptureDecoder::Options options, dlt::FramerSink& sink);
  // Starts the receive thread. `capture`: the --capture file's writer, whose interface 0
  // gets every datagram as received (it must outlive this object), or null.
  void start(pcap::PcapngWriter* capture);
  ~LiveUdp();  // stops the receive thread
  LiveUdp(const LiveUdp&) = delete;
  LiveUdp& operator=(const LiveUdp&) = delete;

  // Decodes the packets queued so far (a batch at most); 0 when none was queued. What the
  // sink throws passes through.
  std::size_t poll() { return ring_.poll(decoder_); }
  // The pause between two polls that found nothing.
  static void pause();
  // True once stop() (or a stop request) ended the receive thread and every packet it
  // queued has been polled: the input's end.
  bool drained() const noexcept { return ring_.drained(); }
  // Ends the receive thread (it closes the ring, so the polls drain it). The thread that
  // polls calls it.
  void stop();

  const input::UdpReceiver& receiver() const noexcept { return receiver_; }
  const aio::Ring& ring() const noexcept { return ring_; }
  dissect::CaptureDecoder& decoder() noexcept { return decoder_; }
  const pcap::CaptureTap* tap() const noexcept { return tap_ ? &*tap_ : nullptr; }

 private:
  static aio::Ring::Options ring_options();
  void receive_loop();

  input::UdpReceiver receiver_;
  aio::Ring ring_;
  std::optional<pcap::CaptureTap> tap_;
  dissect::CaptureDecoder decoder_;
  std::atomic<bool> stop_{false};
  std::thread thread_;  // last: started once the rest exists
};

}  // namespace dltdump::app
