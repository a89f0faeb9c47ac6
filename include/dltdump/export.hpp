// DLTDUMP_API marks what libdltdump.so exports: the library is built with
// -fvisibility=hidden, so everything else (the decoder's internal layers) stays inside it.
#pragma once

#if defined(__GNUC__)
#define DLTDUMP_API __attribute__((visibility("default")))
#else
#define DLTDUMP_API
#endif

namespace dltdump::detail {
// The library's own way into the API's classes (their private parts); not for callers.
struct Access;
}  // namespace dltdump::detail
