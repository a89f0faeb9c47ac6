// A downstream aio stage for tests: copies every packet it accepts and answers from a
// script (accept k packets then return an error) when one is queued.
#pragma once

#include <deque>
#include <utility>
#include <vector>

#include "aio/aio.hpp"
#include "pcap/pcap_test_util.hpp"

namespace dltdump::testing {

struct Recorder final : aio::Aio {
  struct Reply {
    int rc;
    std::size_t accept;  // packets taken before the error
  };
  std::vector<ReadPacket> got;
  std::deque<Reply> script;
  int calls = 0, flushes = 0;

  int send(std::span<const aio::Packet> batch, std::size_t* first_unsent, bool flush) noexcept override {
    ++calls;
    if (flush) ++flushes;
    std::size_t take = batch.size();
    int rc = aio::kSuccess;
    if (!script.empty()) {
      rc = script.front().rc;
      take = std::min(script.front().accept, batch.size());
      script.pop_front();
      if (rc == aio::kSuccess) take = batch.size();
    }
    for (std::size_t i = 0; i < take; ++i) {
      const aio::Packet& p = batch[i];
      got.push_back({Bytes(p.data, p.data + p.size), p.original_size, p.time_ns, p.offset, p.interface, p.link_type,
                     p.direction});
    }
    if (rc != aio::kSuccess && first_unsent) *first_unsent = take;
    return rc;
  }
  std::vector<Bytes> payloads() const {
    std::vector<Bytes> v;
    for (const auto& p : got) v.push_back(p.data);
    return v;
  }
};

}  // namespace dltdump::testing
