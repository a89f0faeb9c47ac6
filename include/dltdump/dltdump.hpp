// The dltdump C++ API: read AUTOSAR DLT logs and captures from a program.
// docs/library.md tells how to build against it (CMake find_package(dltdump), pkg-config).
#pragma once

#include "dltdump/argument.hpp"
#include "dltdump/catalogue.hpp"
#include "dltdump/chunks.hpp"
#include "dltdump/dump.hpp"
#include "dltdump/error.hpp"
#include "dltdump/filter.hpp"
#include "dltdump/message.hpp"
#include "dltdump/reader.hpp"
#include "dltdump/types.hpp"
#include "dltdump/version.hpp"
#include "dltdump/writer.hpp"
