#include "api/api_error.hpp"

#include <exception>
#include <utility>

#include "util/error.hpp"
#include "util/value_text.hpp"

namespace dltdump {

Error::Error(Kind kind, std::string input, std::optional<std::uint64_t> offset, const std::string& what)
    : std::runtime_error(util::printable(what)), kind_(kind), input_(std::move(input)), offset_(offset) {}

Error::~Error() = default;

namespace api {

void rethrow_as_api_error(const std::string& input, std::optional<std::uint64_t> offset) {
  try {
    throw;
  } catch (const util::Error& e) {
    switch (e.culprit()) {
      case util::Culprit::Option: throw Error(Error::Kind::argument, {}, std::nullopt, e.what());
      case util::Culprit::Fibex: throw Error(Error::Kind::fibex, e.name(), std::nullopt, e.what());
      case util::Culprit::Internal: throw Error(Error::Kind::internal, input, offset, e.what());
      case util::Culprit::Output: throw Error(Error::Kind::output, e.name(), std::nullopt, e.what());
      case util::Culprit::Input: break;
    }
    throw Error(Error::Kind::input, input, offset, e.what());
  }
}

Error argument_error(const std::string& what) { return Error(Error::Kind::argument, {}, std::nullopt, what); }

void check_name(const std::string& name, Error::Kind kind) {
  // The layers below pass names on as C strings (to the OS, into what()): a NUL would cut
  // the name there and the message naming it.
  if (name.find('\0') != std::string::npos)
    throw Error(kind, name, std::nullopt, name + ": a file name cannot hold a NUL byte");
}

}  // namespace api
}  // namespace dltdump
