// udpsend: sends the DLT messages of a network-format stream (as `dltgen --format net`
// writes) as UDP datagrams — the sender of the live UDP tests and of bench/compare_live.sh.
//
//   * each datagram holds whole messages up to --pack BYTES (default: one message each);
//     with --split every message is cut in two datagrams (a message spanning datagrams);
//   * --senders N sends from N sockets (N source ports), datagram k from socket k mod N;
//     with --split both halves of a message go through the same socket;
//   * --rate R paces the sending at R datagrams per second (default: as fast as possible);
//     --repeat N sends the stream N times;
//   * --multicast-if IP sends multicast through the interface with that address.
// Prints `datagrams=<n> messages=<m> bytes=<b> seconds=<s>` when done.
//
// Usage: udpsend [--pack BYTES] [--split] [--senders N] [--rate R] [--repeat N]
//                [--multicast-if IP] STREAM ADDR:PORT
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "udpsend: %s\nusage: udpsend [--pack BYTES] [--split] [--senders N] [--rate R] [--repeat N] "
               "[--multicast-if IP] STREAM ADDR:PORT\n",
               why);
  std::exit(2);
}

std::vector<std::uint8_t> read_file(const char* path) {
  const int fd = ::open(path, O_RDONLY);
  if (fd < 0) usage("cannot open the stream");
  struct stat st {};
  ::fstat(fd, &st);
  std::vector<std::uint8_t> data(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::read(fd, data.data() + done, data.size() - done);
    if (n <= 0) usage("cannot read the stream");
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return data;
}

struct Datagram {
  std::size_t begin, size, messages;
};

}  // namespace

int main(int argc, char** argv) {
  std::size_t pack = 0, senders = 1, repeat = 1;
  double rate = 0;
  bool split = false;
  const char* multicast_if = nullptr;
  std::vector<const char*> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage("missing value");
      return argv[++i];
    };
    if (a == "--pack") pack = std::strtoull(value(), nullptr, 10);
    else if (a == "--split") split = true;
    else if (a == "--senders") senders = std::strtoull(value(), nullptr, 10);
    else if (a == "--rate") rate = std::strtod(value(), nullptr);
    else if (a == "--repeat") repeat = std::strtoull(value(), nullptr, 10);
    else if (a == "--multicast-if") multicast_if = value();
    else if (!a.empty() && a[0] == '-') usage(("unknown option " + a).c_str());
    else positional.push_back(argv[i]);
  }
  if (positional.size() != 2 || senders == 0 || senders > 1024) usage("expected STREAM ADDR:PORT");
  const std::vector<std::uint8_t> stream = read_file(positional[0]);
  const std::string target = positional[1];
  const std::size_t colon = target.rfind(':');
  if (colon == std::string::npos) usage("expected ADDR:PORT");
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(std::atoi(target.c_str() + colon + 1)));
  if (::inet_pton(AF_INET, target.substr(0, colon).c_str(), &to.sin_addr) != 1) usage("bad address");

  // Cut the stream into messages (standard header length, big endian at bytes 2-3), then
  // into datagrams.
  std::vector<Datagram> datagrams;
  std::size_t messages = 0;
  for (std::size_t at = 0; at + 4 <= stream.size();) {
    std::size_t len = static_cast<std::size_t>(stream[at + 2]) << 8 | stream[at + 3];
    if (len < 4 || at + len > stream.size()) len = stream.size() - at;  // the rest, as is
    ++messages;
    if (split && len > 1) {
      datagrams.push_back({at, len / 2, 1});
      datagrams.push_back({at + len / 2, len - len / 2, 0});
    } else if (pack > 0 && !datagrams.empty() && datagrams.back().begin + datagrams.back().size == at &&
               datagrams.back().size + len <= pack) {
      datagrams.back().size += len;
      ++datagrams.back().messages;
    } else {
      datagrams.push_back({at, len, 1});
    }
    at += len;
  }

  std::vector<int> sockets;
  for (std::size_t i = 0; i < senders; ++i) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) usage("socket failed");
    const int big = 4 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    if (multicast_if) {
      in_addr a{};
      ::inet_pton(AF_INET, multicast_if, &a);
      ::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &a, sizeof a);
    }
    const unsigned char loop = 1;
    ::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop);
    sockets.push_back(fd);
  }

  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  std::uint64_t sent = 0, bytes = 0;
  // One sendmmsg call per run of datagrams for one socket (at most 64, and at most 16
  // between two pacing checks), so that the sender is not what limits a benchmark.
  constexpr std::size_t kBatch = 64;
  std::vector<mmsghdr> batch(kBatch);
  std::vector<iovec> vectors(kBatch);
  for (std::size_t r = 0; r < repeat; ++r) {
    std::size_t message_index = 0;
    for (std::size_t i = 0; i < datagrams.size();) {
      // Gather the datagrams that go through the same socket as datagram i.
      std::size_t n = 0, k = 0;
      while (i + n < datagrams.size() && n < (rate > 0 ? 16 : kBatch)) {
        const Datagram& d = datagrams[i + n];
        // With --split both halves of a message share a socket: pick by message.
        const std::size_t next_index = message_index + d.messages;
        const std::size_t socket = (split ? next_index : sent + n) % senders;
        if (n > 0 && socket != k) break;
        k = socket;
        message_index = next_index;
        vectors[n] = {const_cast<std::uint8_t*>(stream.data() + d.begin), d.size};
        batch[n] = {};
        batch[n].msg_hdr.msg_name = &to;
        batch[n].msg_hdr.msg_namelen = sizeof to;
        batch[n].msg_hdr.msg_iov = &vectors[n];
        batch[n].msg_hdr.msg_iovlen = 1;
        bytes += d.size;
        ++n;
      }
      for (std::size_t done = 0; done < n;) {
        const int m = ::sendmmsg(sockets[k], batch.data() + done, static_cast<unsigned>(n - done), 0);
        if (m < 0) {
          if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR) {
            std::perror("udpsend: sendmmsg");
            return 1;
          }
          std::this_thread::yield();
          continue;
        }
        done += static_cast<std::size_t>(m);
      }
      sent += n;
      i += n;
      if (rate > 0) {
        const auto due =
            start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(sent / rate));
        std::this_thread::sleep_until(due);
      }
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("datagrams=%llu messages=%llu bytes=%llu seconds=%.3f\n", static_cast<unsigned long long>(sent),
              static_cast<unsigned long long>(messages * repeat), static_cast<unsigned long long>(bytes), seconds);
  for (int fd : sockets) ::close(fd);
  return 0;
}
