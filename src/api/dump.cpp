#include "dltdump/dump.hpp"

#include <utility>

#include "api/api_error.hpp"
#include "api/dump_config.hpp"
#include "util/error.hpp"
#include "util/fd_writer.hpp"

namespace dltdump {

struct Dump::Impl {
  DumpOptions options;  // keeps the Catalogue that config.catalogue points into
  app::DumpConfig config;
  std::vector<std::string> warnings;
  bool ran = false;
};

Dump::Dump(DumpOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  try {
    api::CheckedDump checked = api::check_dump(impl_->options);
    impl_->config = std::move(checked.config);
    for (const util::Diagnostic& w : checked.warnings) impl_->warnings.push_back(w.text);
  } catch (const util::Error& e) {
    // The command line's two kinds of faults in its arguments: an option's (exit 1) and an
    // input argument's (exit 2, an invalid URI).
    if (e.exit_code() == util::ExitCode::InputUriError)
      throw Error(Error::Kind::input, e.name(), std::nullopt, e.what());
    throw Error(Error::Kind::argument, {}, std::nullopt, e.what());
  }
}

Dump::Dump(Dump&& other) noexcept = default;
Dump& Dump::operator=(Dump&& other) noexcept = default;
Dump::~Dump() = default;

const std::vector<std::string>& Dump::warnings() const noexcept {
  static const std::vector<std::string> kNone;
  return impl_ ? impl_->warnings : kNone;
}

int Dump::run(int out_fd, int diag_fd) {
  if (!impl_ || impl_->ran) return 0;
  impl_->ran = true;
  // Every input a folder that -R found no file in (each said so in a warning): nothing to
  // read, and no input was processed.
  if (impl_->config.inputs.empty()) return util::exit_status(util::ExitCode::NoInputProcessed);
  try {
    return util::exit_status(app::run_dump(impl_->config, out_fd, diag_fd));
  } catch (const util::Error& e) {
    // An input's fault is the run's to report (run_dump does); one reaching here breaks
    // that contract.
    if (e.ends_input_only()) {
      util::write_all(diag_fd, util::kInternalErrorLine);
      return util::exit_status(util::ExitCode::InternalError);
    }
    util::print_error(diag_fd, e);  // nothing for a reader gone (quiet)
    return util::exit_status(e.exit_code());
  }
}

}  // namespace dltdump
