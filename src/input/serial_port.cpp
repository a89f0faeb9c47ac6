#include "input/serial_port.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "util/error.hpp"

namespace dltdump::input {

namespace {

constexpr std::pair<std::uint32_t, speed_t> kSpeeds[] = {
    {50, B50},           {75, B75},           {110, B110},         {134, B134},         {150, B150},
    {200, B200},         {300, B300},         {600, B600},         {1200, B1200},       {1800, B1800},
    {2400, B2400},       {4800, B4800},       {9600, B9600},       {19200, B19200},     {38400, B38400},
    {57600, B57600},     {115200, B115200},   {230400, B230400},   {460800, B460800},   {500000, B500000},
    {576000, B576000},   {921600, B921600},   {1000000, B1000000}, {1152000, B1152000}, {1500000, B1500000},
    {2000000, B2000000}, {2500000, B2500000}, {3000000, B3000000}, {3500000, B3500000}, {4000000, B4000000},
};

speed_t speed_of(std::uint32_t baud) {
  for (const auto& [rate, speed] : kSpeeds)
    if (rate == baud) return speed;
  return B0;
}

tcflag_t data_bits_flag(unsigned bits) {
  switch (bits) {
    case 5: return CS5;
    case 6: return CS6;
    case 7: return CS7;
    default: return CS8;
  }
}

}  // namespace

bool is_standard_baud(std::uint32_t baud) { return speed_of(baud) != B0; }

OpenedSerialPort open_serial_port(const SerialSettings& s) {
  auto fail = [&](int err) -> OpenedSerialPort {
    throw util::input_error(s.port, util::with_os_reason("Couldn't open serial port " + s.port, err));
  };
  const int fd = ::open(s.port.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return fail(errno);
  termios tio{};
  if (::tcgetattr(fd, &tio) != 0) {
    const int err = errno;
    ::close(fd);
    return fail(err);
  }
  ::cfmakeraw(&tio);
  tio.c_cflag |= CLOCAL | CREAD;
  tio.c_cflag = (tio.c_cflag & ~CSIZE) | data_bits_flag(s.data_bits);
  tio.c_cflag &= ~(PARENB | PARODD | CMSPAR | CSTOPB | CRTSCTS);
  tio.c_iflag &= ~(IXON | IXOFF | IXANY | INPCK);
  switch (s.parity) {
    case Parity::None: break;
    case Parity::Odd: tio.c_cflag |= PARENB | PARODD; break;
    case Parity::Even: tio.c_cflag |= PARENB; break;
    case Parity::Mark: tio.c_cflag |= PARENB | CMSPAR | PARODD; break;
    case Parity::Space: tio.c_cflag |= PARENB | CMSPAR; break;
  }
  if (s.parity != Parity::None) tio.c_iflag |= INPCK;
  if (s.stop_bits != StopBits::One) tio.c_cflag |= CSTOPB;
  if (s.handshake & handshake::kRts) tio.c_cflag |= CRTSCTS;
  if (s.handshake & handshake::kXOnXOff) tio.c_iflag |= IXON | IXOFF;
  std::optional<util::Diagnostic> warning;
  if (s.handshake & handshake::kDtr)
    warning = {util::Culprit::Input, s.port,
               "Serial port " + s.port + ": DTR/DSR handshake is not available on Linux; ignored"};
  tio.c_cc[VMIN] = 1;
  tio.c_cc[VTIME] = 0;
  const speed_t speed = speed_of(s.baud);
  if (::cfsetispeed(&tio, speed) != 0 || ::cfsetospeed(&tio, speed) != 0 || ::tcsetattr(fd, TCSANOW, &tio) != 0) {
    const int err = errno;
    ::close(fd);
    return fail(err);
  }
  return {fd, std::move(warning)};
}

}  // namespace dltdump::input
