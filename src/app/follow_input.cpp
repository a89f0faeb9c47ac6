#include "app/follow_input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <thread>
#include <vector>

#include "dlt/framer.hpp"
#include "input/format_sniff.hpp"
#include "util/error.hpp"
#include "util/input_file.hpp"
#include "util/scoped_fd.hpp"
#include "util/status_line.hpp"
#include "util/stop_signal.hpp"
#include "util/value_text.hpp"

namespace dltdump::app {

namespace {

constexpr std::size_t kReadBytes = 1u << 20;

// Waits one poll; a stop request ends the wait (util::Stopped).
void pause() {
  util::throw_if_stopped();
  std::this_thread::sleep_for(kFollowPoll);  // a signal's handler sets the flag seen next
  util::throw_if_stopped();
}

// read(2) of up to n bytes at the file's offset; 0 at its end for now. Throws util::Error.
std::size_t read_some(int fd, std::uint8_t* into, std::size_t n, const std::string& name) {
  for (;;) {
    const ssize_t got = ::read(fd, into, n);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno == EINTR) {
      util::throw_if_stopped();
      continue;
    }
    throw util::input_error(name, util::with_os_reason("An I/O Exception occurred reading " + name, errno));
  }
}

// The format to follow the file at `path` in: `requested`, else what its first bytes say,
// waiting until it has some. Throws util::input_error for what is not followed.
input::InputFormat follow_format(const input::InputSpec& spec, input::InputFormat requested) {
  for (;;) {
    util::InputFile file = util::InputFile::open(spec.path);           // its messages if it cannot be opened
    if (requested != input::InputFormat::Automatic) return requested;  // not Pcap: options.cpp refuses it
    if (file.known_size() >= 4) {
      const input::Content content = input::sniff_content([&](std::size_t n) { return file.head(n); });
      if (input::is_compressed(content))
        throw util::input_error(spec.path, input::compressed_message(content, spec.path));
      const input::InputFormat format = input::resolve_format(spec, requested, content);
      if (format == input::InputFormat::Pcap)
        throw util::input_error(spec.path, spec.path + ": " + input::describe(content) +
                                               "; --follow decodes DLT files and recordings, not captures");
      return format;
    }
    pause();
  }
}

}  // namespace

void decode_followed(const input::InputSpec& spec, input::InputFormat requested, Pipeline& pipeline, int diag_fd) {
  const std::string& path = spec.path;
  const input::InputFormat format = follow_format(spec, requested);
  pipeline.begin_input({path, stream_format(format), {}, spec.argument});
  std::vector<std::uint8_t> buf(kReadBytes);
  for (;;) {  // the file the name holds now: the first, then each that replaces it
    util::ScopedFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
      if (errno != ENOENT) throw util::input_error(path, util::with_os_reason("Couldn't open file " + path, errno));
      pause();  // between a rotation's move and the new file's creation
      continue;
    }
    std::optional<dlt::Framer> framer;
    framer.emplace(stream_format(format));
    pipeline.attach(*framer);
    std::uint64_t offset = 0;  // bytes of this file decoded
    for (;;) {
      if (const std::size_t n = read_some(fd.get(), buf.data(), buf.size(), path); n > 0) {
        framer->feed({buf.data(), n}, pipeline.head());
        offset += n;
        continue;
      }
      pipeline.sink.flush();  // at the end for now: what was decoded goes out
      pause();
      struct stat st {};
      if (::fstat(fd.get(), &st) != 0)
        throw util::input_error(path, util::with_os_reason("An I/O Exception occurred reading " + path, errno));
      if (static_cast<std::uint64_t>(st.st_size) < offset) {
        // Cut under us: what was decoded stays, a message begun at the end is gone.
        util::write_diagnostic(diag_fd,
                               util::printable(spec.argument) + ": file truncated; following it from its start");
        ::lseek(fd.get(), 0, SEEK_SET);
        offset = 0;
        framer.emplace(stream_format(format));
        pipeline.attach(*framer);
        continue;
      }
      if (static_cast<std::uint64_t>(st.st_size) > offset) continue;
      struct stat named {};
      const bool replaced = ::stat(path.c_str(), &named) != 0 || named.st_ino != st.st_ino || named.st_dev != st.st_dev;
      if (!replaced) continue;
      // Rotated: the old file's last bytes first (its writer may still add some: one more
      // poll for them, as it closes it), then its end.
      pause();
      while (const std::size_t n = read_some(fd.get(), buf.data(), buf.size(), path)) {
        framer->feed({buf.data(), n}, pipeline.head());
      }
      framer->finish(pipeline.head());
      util::write_diagnostic(diag_fd, util::printable(spec.argument) + " has been replaced; following the new file");
      break;
    }
  }
}

}  // namespace dltdump::app
