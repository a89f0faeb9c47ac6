// Replay: a capture file as a source of aio batches.
//
// Reads packets from a PCAP or PCAP-NG reader and sends them downstream in batches of up
// to `batch_size` packets, with the capture's own time stamps, interfaces, link types and
// file offsets — the same shape a live receiver produces, so decoding does not care which
// it has. kErrAgain from downstream is retried (after `wait`) until the packets are taken,
// so a lossless ring gives back-pressure all the way to the file.
#pragma once

#include <cstdint>
#include <functional>

#include "aio/aio.hpp"
#include "pcap/capture_reader.hpp"

namespace dltdump::pcap {

struct ReplayStats {
  std::uint64_t packets = 0;
  std::uint64_t batches = 0;
};

// Sends every packet of `reader` to `dst`. Throws util::Error when the file is malformed
// (after sending every packet before the fault) or when `dst` fails with an error other
// than kErrAgain (naming the packet's file offset and the aio error).
ReplayStats replay(pcap::CaptureReader& reader, aio::Aio& dst, std::size_t batch_size = 64,
                   const std::function<void()>& wait = {});

}  // namespace dltdump::pcap
