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
// Polls without growth after which a file's first bytes decide its format even when they
// are too few to be sure (a network recording needs three packets).
constexpr int kSniffPatience = 10;

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

// The name shown in notes: as given on the command line, without controls.
std::string shown(const input::InputSpec& spec) { return util::printable(spec.argument); }

// Waits until `path` names a regular file, saying once that it is waited for. Throws
// util::input_error for what is not a regular file: a pipe, a FIFO (whose open would wait
// for a writer) or a device has no end to follow nor a size to see cut.
void wait_for_regular_file(const input::InputSpec& spec, int diag_fd, bool& said) {
  for (;;) {
    struct stat st {};
    if (::stat(spec.path.c_str(), &st) == 0) {
      if (S_ISREG(st.st_mode)) return;
      throw util::input_error(spec.path, shown(spec) +
                                             " is not a regular file; --follow follows files that a "
                                             "recorder writes (decode a pipe or device without it)");
    }
    if (errno != ENOENT)
      throw util::input_error(spec.path, util::with_os_reason("Couldn't open file " + spec.path, errno));
    if (!said) util::write_diagnostic(diag_fd, shown(spec) + " does not exist (yet); following it once it is created");
    said = true;
    pause();
  }
}

// The format to follow the file at `spec.path` in: `requested`, else what its first bytes
// say: as soon as they say it for sure (a marker, a capture's magic, three network packets)
// or the file holds kSniffBytes, else once it has stopped growing for kSniffPatience polls.
// Throws util::input_error for what is not followed (a capture, compressed data).
input::InputFormat follow_format(const input::InputSpec& spec, input::InputFormat requested) {
  std::uint64_t last_size = 0;
  int still = 0;
  for (;;) {
    util::InputFile file = util::InputFile::open(spec.path);           // its messages if it cannot be opened
    if (requested != input::InputFormat::Automatic) return requested;  // not Pcap: options.cpp refuses it
    const std::uint64_t size = file.known_size();
    still = size == last_size ? still + 1 : 0;
    last_size = size;
    if (size >= 4) {
      const input::Content content = input::sniff_content([&](std::size_t n) { return file.head(n); });
      if (content != input::Content::Unknown || size >= input::kSniffBytes || still >= kSniffPatience) {
        // Named as given, as every line about reading an input (a new user's finding: an
        // archive's refusal named its absolute path).
        if (input::is_compressed(content))
          throw util::input_error(
              spec.path, input::compressed_message(content, spec.argument.empty() ? spec.path : spec.argument));
        const input::InputFormat format = input::resolve_format(spec, requested, content);
        if (format == input::InputFormat::Pcap)
          throw util::input_error(spec.path, shown(spec) + ": " + input::describe(content) +
                                                 "; --follow decodes DLT files and recordings, not captures");
        return format;
      }
    }
    pause();
  }
}

}  // namespace

void decode_followed(const input::InputSpec& spec, input::InputFormat requested, Pipeline& pipeline, int diag_fd) {
  const std::string& path = spec.path;
  bool said_missing = false;
  std::optional<input::InputFormat> began;  // the format the output's input began with
  std::vector<std::uint8_t> buf(kReadBytes);
  for (;;) {  // the file the name holds now: the first, then each that replaces it
    wait_for_regular_file(spec, diag_fd, said_missing);
    const input::InputFormat format = follow_format(spec, requested);
    if (began && *began != format) {  // a file of another format replaced it: a new input for the output
      pipeline.sink.end_input();
      began.reset();
    }
    if (!began) pipeline.begin_input({path, stream_format(format), {}, spec.argument});
    began = format;
    util::ScopedFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));  // never waits for a FIFO's writer
    if (fd.get() < 0) {
      if (errno != ENOENT) throw util::input_error(path, util::with_os_reason("Couldn't open file " + path, errno));
      continue;  // gone again between the look and the open
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
        util::write_diagnostic(diag_fd, shown(spec) + ": file truncated; following it from its start");
        ::lseek(fd.get(), 0, SEEK_SET);
        offset = 0;
        framer.emplace(stream_format(format));
        pipeline.attach(*framer);
        continue;
      }
      if (static_cast<std::uint64_t>(st.st_size) > offset) continue;
      struct stat named {};
      const bool removed = ::stat(path.c_str(), &named) != 0;
      if (!removed && named.st_ino == st.st_ino && named.st_dev == st.st_dev) continue;
      // Rotated or removed: the old file's last bytes first (its writer may still add some:
      // one more poll for them, as it closes it), then its end.
      pause();
      while (const std::size_t n = read_some(fd.get(), buf.data(), buf.size(), path)) {
        framer->feed({buf.data(), n}, pipeline.head());
      }
      framer->finish(pipeline.head());
      pipeline.sink.flush();
      if (::stat(path.c_str(), &named) == 0) {
        util::write_diagnostic(diag_fd, shown(spec) + " has been replaced; following the new file");
      } else {
        util::write_diagnostic(diag_fd, shown(spec) + " has been removed; following it once it is created again");
        said_missing = true;  // said so already
      }
      break;
    }
  }
}

}  // namespace dltdump::app
