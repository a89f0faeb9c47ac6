// Connecting to a DLT daemon or an ECU over TCP (dltdump-spec §1.5).
#pragma once

#include <string>

#include "input/live_uri.hpp"

namespace dltdump::input {

// Resolves `endpoint.host` (IPv4) and connects, giving up after `timeout_ms` or when a stop
// is requested (util::stop_requested). Returns the connected, non-blocking socket (the
// caller closes it), or -1 with the reason in `why` (`connection refused`, `timed out`,
// `host not found`, `stopped`).
int connect_tcp(const TcpEndpoint& endpoint, int timeout_ms, std::string& why);

}  // namespace dltdump::input
