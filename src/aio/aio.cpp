#include "aio/aio.hpp"

namespace dltdump::aio {

const char* strerror(int code) noexcept {
  switch (code) {
    case kSuccess: return "success";
    case kErrInvalid: return "bad input arguments";
    case kErrAgain: return "try again later";
    case kErrIo: return "input/output error";
    default: return "unknown error";
  }
}

}  // namespace dltdump::aio
