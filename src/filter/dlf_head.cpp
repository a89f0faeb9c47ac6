#include "filter/dlf_head.hpp"

#include "util/number_format.hpp"

namespace dltdump::filter {

void DlfHead::put_time(const util::Timestamp& t) {
  char buffer[util::LocalTimeFormatter::kWidth];
  time_.format(t, buffer);
  text_.append(buffer, sizeof buffer);
}

void DlfHead::put_id(const dlt::Id& id) {
  for (std::size_t k = 0; k < id.size(); ++k) {
    const auto c = static_cast<unsigned char>(id.chars[k]);
    text_ += c >= 0x20 && c < 0x7F ? static_cast<char>(c) : '.';
  }
}

std::string_view DlfHead::of(const dlt::Message& m) {
  text_.clear();
  put_time(m.time);
  char number[24];
  text_ += ' ';
  text_.append(number, util::put_tenth_millis(number, m.has_device_time ? m.device_time : 0));
  text_ += ' ';
  text_.append(number, util::put_u64(number, m.counter));
  text_ += ' ';
  put_id(m.shown_ecu());
  text_ += ' ';
  put_id(m.app);
  text_ += ' ';
  put_id(m.ctx);
  text_ += ' ';
  text_.append(number, util::put_u64(number, m.has_session ? m.session : 0));
  text_ += ' ';
  text_ += dlt::type_text(m);
  const bool verbose = m.has_extended && (m.msin & 1);
  text_ += verbose ? " verbose " : " non-verbose ";
  text_.append(number, util::put_u64(number, verbose ? m.noar : 0));
  return text_;
}

std::string_view DlfHead::of(const dlt::SkipRecord& s, std::string_view text) {
  skip_text_.clear();
  skip_line_.format(s, skip_text_);
  std::string_view line = skip_text_.view();
  while (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (line.ends_with(text)) line.remove_suffix(text.size());
  while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
  return line;
}

}  // namespace dltdump::filter
