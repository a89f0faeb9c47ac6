#include "app/sort/message_source.hpp"

#include <algorithm>

#include "app/capture_setup.hpp"
#include "app/pipeline.hpp"
#include "input/format_sniff.hpp"
#include "util/error.hpp"

namespace dltdump::app {

MessageSource::MessageSource(const input::InputSpec& spec, const DumpConfig& config, dlt::FramerSink& sink)
    // Named as the command line gives it in what reading it says (dump_app.cpp likewise).
    : MessageSource(input::open_sniffed(spec.path, config.format, config.decompression,
                                        spec.argument.empty() ? spec.path : spec.argument),
                    spec, config, sink) {}

MessageSource::MessageSource(input::SniffedInput opened, const input::InputSpec& spec, const DumpConfig& config,
                             dlt::FramerSink& sink)
    : file_(std::move(opened.file)), sink_(sink), content_(opened.content) {
  const input::Content content = content_;
  format_ = input::resolve_format(spec, config.format, content);
  if (format_ == input::InputFormat::Pcap) {
    reader_ = pcap::CaptureReader::open(file_);
    if (!reader_) {
      done_ = true;  // fewer than 4 bytes: nothing to decode (spec §5)
      return;
    }
    dissect::CaptureDecoder::Options options = capture_decoder_options(*reader_, config, file_.name());
    options.payload_text = false;
    decoder_.emplace(options, sink_);
    batches_.emplace(*reader_);
  } else {
    framer_.emplace(stream_format(format_));
    framer_->set_payload_text(false);  // validated, no text: the merge's own framer makes it
    framer_->set_catalogue(config.catalogue);
    framer_->set_stop_flag(file_.cut_flag());
  }
}

MessageSource::~MessageSource() = default;

bool MessageSource::step(std::size_t bytes) {
  if (done_) return false;
  if (decoder_) {
    const std::span<const aio::Packet> batch = batches_->next();
    if (!batch.empty()) {
      decoder_->take(batch);
      return true;
    }
    file_.check_not_shrunk();  // a cut capture's zeros are no fault of its own
    decoder_->finish();
    done_ = true;
    if (batches_->fault()) throw *batches_->fault();
    return false;
  }
  if (window_.empty()) {
    try {
      window_ = file_.next_window();
    } catch (const util::Error& e) {
      // The stream ends at its fault (a corrupt or cut compressed stream): the bytes before
      // it end as an input's end does — the skip open there and the packet the fault cut
      // are skip records —, or for a stream that ends early (util::Error::cut) with its
      // whole messages only; then the fault is thrown, as the dump does (decode_stream).
      done_ = true;
      if (!e.cut()) framer_->finish(sink_);
      throw;
    }
    if (window_.empty()) {
      framer_->finish(sink_);
      done_ = true;
      return false;
    }
  }
  const std::size_t n = std::min(window_.size(), bytes);
  framer_->feed(window_.first(n), sink_);
  window_ = window_.subspan(n);
  file_.check_not_shrunk();
  // The pages read go soon (set_release_every): a merge reads many inputs at a time, and
  // what each keeps mapped is memory the run holds.
  file_.note_progress(framer_->fed());
  if (framer_->fed() >= released_ + release_every_) {
    file_.release_before(framer_->fed());
    released_ = framer_->fed();
  }
  return true;
}

}  // namespace dltdump::app
