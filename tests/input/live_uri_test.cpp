#include "input/live_uri.hpp"
#include "util/error.hpp"

#include <gtest/gtest.h>

#include "input/input_spec.hpp"

using namespace dltdump::input;
namespace util = dltdump::util;

namespace {

// The line an argument's URI error prints, or "" when it parses.
std::string message(const std::string& arg) {
  try {
    parse_input_argument(arg);
  } catch (const util::Error& e) {
    return std::string(e.what());
  }
  return "";
}

}  // namespace

TEST(LiveUri, Tcp) {
  const InputSpec s = parse_input_argument("tcp://192.168.1.10");
  EXPECT_EQ(s.kind, InputKind::Tcp);
  EXPECT_TRUE(s.is_live());
  EXPECT_EQ(s.tcp.host, "192.168.1.10");
  EXPECT_EQ(s.tcp.port, 3490);
  EXPECT_EQ(s.tcp.name(), "tcp://192.168.1.10:3490");
  EXPECT_EQ(parse_input_argument("tcp://ecu-1.local:4000/").tcp.port, 4000);
  EXPECT_EQ(parse_input_argument("tcp://ecu:").tcp.port, 3490);  // an empty port is the default
  EXPECT_EQ(resolve_format(s, InputFormat::Automatic), InputFormat::Network);
}

TEST(LiveUri, TcpErrors) {
  EXPECT_EQ(message("tcp://[::1]:3490"), "Invalid host name: [::1]");
  EXPECT_EQ(message("tcp://user@host"), "Invalid URI tcp://user@host, unsupported fields.");
  EXPECT_EQ(message("tcp://host/path"), "Invalid URI tcp://host/path, unsupported fields.");
  EXPECT_EQ(message("tcp://host?x=1"), "Invalid URI tcp://host?x=1, unsupported fields.");
  EXPECT_EQ(message("tcp://host#f"), "Invalid URI tcp://host#f, unsupported fields.");
  EXPECT_EQ(message("tcp://host:99999"), "Invalid input tcp://host:99999 (invalid port '99999')");
  EXPECT_EQ(message("tcp://host:0"), "Invalid input tcp://host:0 (invalid port '0')");
  EXPECT_EQ(message("tcp://host:x1"), "Invalid input tcp://host:x1 (invalid port 'x1')");
  EXPECT_EQ(message("tcp://"), "Invalid input tcp:// (no host name)");
  EXPECT_EQ(message("tcp:host"), "Invalid input tcp:host (expected tcp://host[:port])");
  EXPECT_EQ(message("tcp://bad!host"), "Invalid host name: bad!host");
}

TEST(LiveUri, Udp) {
  const InputSpec u = parse_input_argument("udp://239.255.42.99:3491?bindto=192.168.1.2");
  EXPECT_EQ(u.kind, InputKind::Udp);
  EXPECT_EQ(u.udp.address, 0xEFFF2A63u);
  EXPECT_TRUE(u.udp.multicast());
  EXPECT_EQ(u.udp.port, 3491);
  EXPECT_EQ(u.udp.bind_to, 0xC0A80102u);
  EXPECT_EQ(u.udp.name(), "udp://239.255.42.99:3491");
  const InputSpec any = parse_input_argument("udp://0.0.0.0");
  EXPECT_FALSE(any.udp.multicast());
  EXPECT_EQ(any.udp.port, 3490);
  EXPECT_EQ(parse_input_argument("udp://224.0.0.1?BindTo=10.0.0.1").udp.bind_to, 0x0A000001u);
}

TEST(LiveUri, UdpErrors) {
  EXPECT_EQ(message("udp://ecu.local"), "Invalid host name: ecu.local");  // IPv4 literals only
  EXPECT_EQ(message("udp://1.2.3"), "Invalid host name: 1.2.3");
  EXPECT_EQ(message("udp://1.2.3.256"), "Invalid host name: 1.2.3.256");
  EXPECT_EQ(message("udp://[::1]"), "Invalid host name: [::1]");
  EXPECT_EQ(message("udp://u@1.2.3.4"), "Invalid URI udp://u@1.2.3.4, unsupported fields.");
  EXPECT_EQ(message("udp://1.2.3.4/x"), "Invalid URI udp://1.2.3.4/x, unsupported fields.");
  EXPECT_EQ(message("udp://1.2.3.4#x"), "Invalid URI udp://1.2.3.4#x, unsupported fields.");
  EXPECT_EQ(message("udp://239.1.1.1?port=4"), "Invalid URI udp://239.1.1.1?port=4, unsupported fields.");
  // Deviation Q5: DltDump crashes on these three.
  EXPECT_EQ(message("udp://10.0.0.1?bindto=10.0.0.2"),
            "Invalid input udp://10.0.0.1?bindto=10.0.0.2 (bindto is only allowed with a multicast address)");
  EXPECT_EQ(message("udp://239.1.1.1?bindto=239.1.1.2"),
            "Invalid input udp://239.1.1.1?bindto=239.1.1.2 (bindto 239.1.1.2 is a multicast address, not an "
            "interface address)");
  EXPECT_EQ(message("udp://239.1.1.1?bindto=eth0"),
            "Invalid input udp://239.1.1.1?bindto=eth0 (bindto 'eth0' is not an IPv4 address)");
}

TEST(LiveUri, Serial) {
  const InputSpec s = parse_input_argument("ser:/dev/ttyUSB0,115200,8,N,1");
  EXPECT_EQ(s.kind, InputKind::Serial);
  EXPECT_EQ(s.serial.port, "/dev/ttyUSB0");
  EXPECT_EQ(s.serial.baud, 115200u);
  EXPECT_EQ(s.serial.data_bits, 8u);
  EXPECT_EQ(s.serial.parity, Parity::None);
  EXPECT_EQ(s.serial.stop_bits, StopBits::One);
  EXPECT_EQ(s.serial.handshake, handshake::kNone);
  EXPECT_EQ(resolve_format(s, InputFormat::Automatic), InputFormat::Serial);

  const SerialSettings t = parse_input_argument("ser:/dev/ttyS1,9600,7,e,1.5,RtsXon,ignored").serial;
  EXPECT_EQ(t.parity, Parity::Even);
  EXPECT_EQ(t.stop_bits, StopBits::OnePointFive);
  EXPECT_EQ(t.handshake, handshake::kRts | handshake::kXOnXOff);
  EXPECT_EQ(parse_input_argument("ser:/dev/x,50,5,M,2,dtrrtsxon").serial.handshake, 7u);
  EXPECT_EQ(parse_input_argument("ser:/dev/x,50,5,s,2,4").serial.handshake, handshake::kDtr);
  EXPECT_EQ(parse_input_argument("ser:/dev/x,4000000,6,O,2").serial.parity, Parity::Odd);
}

TEST(LiveUri, SerialErrors) {
  const std::string specifier = "Invalid URI specifier for ser:port,baud,data,parity,stop[,hshake]";
  EXPECT_EQ(message("ser:/dev/x,115200,8,N"), specifier);
  EXPECT_EQ(message("ser:,115200,8,N,1"), specifier);
  EXPECT_EQ(message("ser:/dev/x,115200,8,N,1?q"), specifier);
  EXPECT_EQ(message("ser://host/x,115200,8,N,1"), "Cannot connect to a remote host with ser:");
  EXPECT_EQ(message("ser:/dev/x,115200,8,X,1"), "Invalid parity specified for ser:");
  EXPECT_EQ(message("ser:/dev/x,115200,8,N,3"), "Invalid parameter for stop bits for ser:");
  EXPECT_EQ(message("ser:/dev/x,115200,8,N,1,foo"), "Invalid handshake specified for ser:");
  EXPECT_EQ(message("ser:/dev/x,115200,8,N,1,8"), "Invalid handshake specified for ser:");
  // Deviation Q14: DltDump crashes on these.
  EXPECT_EQ(message("ser:/dev/x,fast,8,N,1"),
            "Invalid baud rate 'fast' for ser: (not a standard rate from 50 to 4000000)");
  EXPECT_EQ(message("ser:/dev/x,99999999999999999999,8,N,1"),
            "Invalid baud rate '99999999999999999999' for ser: (not a standard rate from 50 to 4000000)");
  EXPECT_EQ(message("ser:/dev/x,115201,8,N,1"),
            "Invalid baud rate '115201' for ser: (not a standard rate from 50 to 4000000)");
  EXPECT_EQ(message("ser:/dev/x,115200,eight,N,1"), "Invalid data bits 'eight' for ser: (5, 6, 7 or 8)");
  EXPECT_EQ(message("ser:/dev/x,115200,9,N,1"), "Invalid data bits '9' for ser: (5, 6, 7 or 8)");
}

TEST(LiveUri, OnlyOneLiveInput) {
  const std::vector<InputSpec> two_live{parse_input_argument("tcp://a"), parse_input_argument("udp://0.0.0.0")};
  EXPECT_THROW(check_live_inputs(two_live), util::Error);
  const std::vector<InputSpec> live_and_file{parse_input_argument("a.dlt"), parse_input_argument("tcp://a")};
  try {
    check_live_inputs(live_and_file);
    ADD_FAILURE() << "no error";
  } catch (const util::Error& e) {
    EXPECT_EQ(std::string(e.what()), "Only one input argument allowed for live streams.");
  }
  EXPECT_NO_THROW(check_live_inputs({parse_input_argument("tcp://a")}));
  EXPECT_NO_THROW(check_live_inputs({parse_input_argument("a.dlt"), parse_input_argument("b.dlt")}));
}
