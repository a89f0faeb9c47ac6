#include "app/progress.hpp"

#include <sys/ioctl.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "util/status_line.hpp"
#include "util/value_text.hpp"

namespace dltdump::app {

namespace {
constexpr std::chrono::milliseconds kTick{250};

// The width of the terminal `fd` is, 80 when it is none.
unsigned terminal_width(int fd) {
  struct winsize ws {};
  if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}
// Narrower than this, no line is drawn: the input's number and a percentage would not fit.
constexpr unsigned kNarrowest = 20;

std::string fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}
}  // namespace

std::string byte_text(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double v = static_cast<double>(bytes) / 1024;
  std::size_t unit = 0;
  while (v >= 1024 && unit + 1 < std::size(kUnits)) v /= 1024, ++unit;
  return fixed(v, v < 10 ? 2 : 1) + " " + kUnits[unit];
}

namespace {

// The line with `head` in front of the name.
std::string line_with_head(const std::string& head, std::string_view name, std::uint64_t done, std::uint64_t size,
                           double rate, double seconds_left, unsigned width) {
  std::string figures = "  " + byte_text(done);
  if (size > 0) {
    figures += " of " + byte_text(size) + " " +
               std::to_string(static_cast<unsigned>(100.0 * static_cast<double>(std::min(done, size)) /
                                                    static_cast<double>(size))) +
               "%";
  }
  if (rate > 0) figures += "  " + byte_text(static_cast<std::uint64_t>(rate)) + "/s";
  if (seconds_left >= 0 && std::isfinite(seconds_left)) {
    const auto s = static_cast<std::uint64_t>(std::ceil(seconds_left));
    const std::uint64_t h = s / 3600, m = s / 60 % 60;
    char eta[32];
    if (h > 0)
      std::snprintf(eta, sizeof eta, "  ETA %llu:%02llu:%02llu", static_cast<unsigned long long>(h),
                    static_cast<unsigned long long>(m), static_cast<unsigned long long>(s % 60));
    else
      std::snprintf(eta, sizeof eta, "  ETA %llu:%02llu", static_cast<unsigned long long>(m),
                    static_cast<unsigned long long>(s % 60));
    figures += eta;
  }
  // The name as a diagnostic shows it (no control reaches the terminal), shortened from its
  // start to what the terminal leaves (one column spare: a full line would wrap on some).
  // On a narrow terminal the name keeps kMinName bytes and the figures are cut at the end.
  constexpr std::size_t kMinName = 12;
  std::string shown = util::printable(name);
  const std::size_t fixed_part = head.size() + figures.size() + 1;
  const std::size_t room = std::max(kMinName, width > fixed_part ? width - fixed_part : 0);
  if (shown.size() > room) {
    std::size_t cut = shown.size() - (room - 3);
    while (cut < shown.size() && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) ++cut;  // whole characters
    shown = "..." + shown.substr(cut);
  }
  std::string l = head + shown + figures;
  if (l.size() >= width) {
    std::size_t end = width - 1;
    while (end > 0 && (static_cast<unsigned char>(l[end]) & 0xC0) == 0x80) --end;
    l.resize(end);
  }
  return l;
}

}  // namespace

std::string Progress::line(std::size_t index, std::size_t inputs, std::string_view name, std::uint64_t done,
                           std::uint64_t size, double rate, double seconds_left, unsigned width) {
  return line_with_head("[" + std::to_string(index + 1) + "/" + std::to_string(inputs) + "] ", name, done, size, rate,
                        seconds_left, width);
}

std::string Progress::line(std::string_view label, std::string_view name, std::uint64_t done, std::uint64_t size,
                           double rate, double seconds_left, unsigned width) {
  return line_with_head("[" + std::string(label) + "] ", name, done, size, rate, seconds_left, width);
}

Progress::Progress(Options options) : options_(std::move(options)), start_(std::chrono::steady_clock::now()) {
  thread_ = std::thread([this] { run(); });
}

Progress::~Progress() { finish(); }

void Progress::begin_input(std::size_t index, const util::InputFile& file, std::string_view name) {
  if (!thread_.joinable()) return;
  const std::lock_guard lock(mutex_);
  index_ = index;
  file_ = &file;
  name_ = name;
}

void Progress::begin_pass(std::string_view label, std::string_view name, std::uint64_t total,
                          const std::atomic<std::uint64_t>* done) {
  if (!thread_.joinable()) return;
  const std::lock_guard lock(mutex_);
  file_ = nullptr;
  pass_label_ = label;
  name_ = name;
  pass_total_ = total;
  pass_done_ = done;
  pass_start_ = std::chrono::steady_clock::now();
}

void Progress::end_pass() {
  if (!thread_.joinable()) return;
  const std::lock_guard lock(mutex_);
  pass_done_ = nullptr;
}

void Progress::end_input() {
  if (!thread_.joinable()) return;
  const std::lock_guard lock(mutex_);
  finished_bytes_ += file_ ? std::max(file_->progress(), file_->known_size()) : part_bytes_;
  part_bytes_ = 0;
  file_ = nullptr;
}

void Progress::end_part() {
  if (!thread_.joinable()) return;
  const std::lock_guard lock(mutex_);
  if (file_) part_bytes_ = file_->progress();
  file_ = nullptr;
}

void Progress::finish() {
  if (!thread_.joinable()) return;
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
  util::clear_status_line();
}

void Progress::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, kTick, [this] { return stop_; })) {
    const auto now = std::chrono::steady_clock::now();
    if (now - start_ >= options_.delay && (file_ || pass_done_)) draw(now);
  }
}

void Progress::draw(std::chrono::steady_clock::time_point now) {
  const unsigned width = terminal_width(options_.fd);
  if (width < kNarrowest) return;
  if (pass_done_) {
    const std::uint64_t done = pass_done_->load(std::memory_order_relaxed);
    const double seconds = std::chrono::duration<double>(now - pass_start_).count();
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    const double left =
        rate > 0 && seconds >= 1 && pass_total_ > done ? static_cast<double>(pass_total_ - done) / rate : -1;
    util::show_status_line(options_.fd, line(pass_label_, name_, done, pass_total_, rate, left, width));
    return;
  }
  const std::uint64_t done = file_->progress();
  const std::uint64_t size = options_.sizes[index_] ? options_.sizes[index_] : file_->known_size();
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double run_done = static_cast<double>(finished_bytes_ + done);
  const double rate = seconds > 0 ? run_done / seconds : 0;
  // Time left for the whole run when the size of every input still to come is known (those
  // done with, failed ones too, are in finished_bytes_).
  double left = -1;
  std::uint64_t to_come = size > done ? size - done : 0;
  bool all_known = size > 0;
  for (std::size_t i = index_ + 1; i < options_.sizes.size(); ++i) {
    all_known = all_known && options_.sizes[i] > 0;
    to_come += options_.sizes[i];
  }
  if (all_known && rate > 0 && seconds >= 1) left = static_cast<double>(to_come) / rate;
  util::show_status_line(options_.fd, line(index_, options_.sizes.size(), name_, done, size, rate, left, width));
}

}  // namespace dltdump::app
