# CPack: a Debian package (.deb) of everything `cmake --install` puts in place — the
# program, libdltdump with its headers, CMake package and pkg-config file, the Python
# module (when built), the man page and the completions — under /usr. Included last from the top-level CMakeLists.txt, so
# that every install rule is known.
#
#   cmake --build build && (cd build && cpack)     →  build/dltdump_<version>_amd64.deb
#
# The package's dependencies are found by dpkg-shlibdeps from the libraries the stripped
# binaries link (Debian's package names and versions, not a hand-kept list).
# packaging/deb_finish.cmake then brings the staged tree to Debian's layout (the man page
# and the changelog gzipped) before the archive is made; tests/packaging/deb_test.py
# checks the result with lintian and, on CI, installs it.
include(GNUInstallDirs)

install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
# The user's documents beside it: the man page and --help point to the manual for the
# fields of the records and the report, their schemas, sorting, the library and Python
# (a new user's finding: installed, only the copyright was there). The developers'
# documents (architecture, performance, fuzzing) stay in the sources.
install(FILES ${PROJECT_SOURCE_DIR}/docs/manual.md ${PROJECT_SOURCE_DIR}/docs/deviations.md
              ${PROJECT_SOURCE_DIR}/docs/json-records.md ${PROJECT_SOURCE_DIR}/docs/json-records.schema.json
              ${PROJECT_SOURCE_DIR}/docs/statistics.md ${PROJECT_SOURCE_DIR}/docs/stats.schema.json
              ${PROJECT_SOURCE_DIR}/docs/sorting.md ${PROJECT_SOURCE_DIR}/docs/library.md
              ${PROJECT_SOURCE_DIR}/docs/python.md ${PROJECT_SOURCE_DIR}/docs/packet-io.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
# A placeholder until the project has a public address: set it when building a package
# for others (-DDLTDUMP_DEB_MAINTAINER="Name <address>").
set(DLTDUMP_DEB_MAINTAINER "the dltdump developers <dltdump@users.noreply.github.com>"
    CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME dltdump)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)  # the package's revision: version 0.1.0-1
set(CPACK_PACKAGE_CONTACT ${DLTDUMP_DEB_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "AUTOSAR DLT log reader, filter and converter")
# The long description; CPack puts the summary first and indents every line.
set(CPACK_PACKAGE_DESCRIPTION
    "dltdump reads DLT (Diagnostic Log and Trace) logs from files, serial and
network recordings, PCAP and PCAP-NG captures (UDP and TCP, IPv4 and IPv6),
compressed files and live TCP, UDP and serial sources; filters them by ids,
levels, time, strings and regular expressions, decodes non-verbose messages
through FIBEX catalogues, and writes text, DLT, PCAP-NG, JSON Lines, CSV or
statistics.

The package also holds libdltdump, its C and C++ headers, a CMake package and
a pkg-config file for programs that decode DLT themselves.")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # dltdump_<version>_<arch>.deb
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
if(DLTDUMP_PYTHON)
  # The Python module's extension is built for one Python version (found at the top); its
  # DataFrames need numpy and pandas, dltdump.dask needs Dask distributed.
  math(EXPR dltdump_python_next_minor "${Python3_VERSION_MINOR} + 1")
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
      "python3 (>= ${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}~), python3 (<< ${Python3_VERSION_MAJOR}.${dltdump_python_next_minor})")
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3-numpy, python3-pandas")
  set(CPACK_DEBIAN_PACKAGE_SUGGESTS "python3-distributed")
endif()
# libdltdump is a public shared library: a shlibs file (packages built against it depend
# on this version or a later one of the same SONAME) and dpkg's ldconfig trigger, which
# Debian prefers to the maintainer scripts CPack's own shlibs option would add.
set(dltdump_deb_control ${PROJECT_BINARY_DIR}/deb-control)
file(MAKE_DIRECTORY ${dltdump_deb_control})
file(WRITE ${dltdump_deb_control}/shlibs
     "libdltdump ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR} dltdump (>= ${PROJECT_VERSION})\n")
file(WRITE ${dltdump_deb_control}/triggers "activate-noawait ldconfig\n")
set(dltdump_deb_control_files ${dltdump_deb_control}/shlibs ${dltdump_deb_control}/triggers)
if(DLTDUMP_PYTHON)
  # Importing the module writes __pycache__ beside it, which dpkg does not own: removed
  # before the package's files go (as dh_python3's py3clean call does).
  file(WRITE ${dltdump_deb_control}/prerm
       "#!/bin/sh\nset -e\nrm -rf /usr/lib/python3/dist-packages/dltdump/__pycache__\n")
  file(CHMOD ${dltdump_deb_control}/prerm PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
       GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  list(APPEND dltdump_deb_control_files ${dltdump_deb_control}/prerm)
endif()
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${dltdump_deb_control_files})
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_PRE_BUILD_SCRIPTS ${PROJECT_SOURCE_DIR}/packaging/deb_finish.cmake)
set(DLTDUMP_DEB_CHANGELOG ${PROJECT_SOURCE_DIR}/packaging/changelog.Debian)
set(CPACK_INSTALL_CMAKE_PROJECTS "${PROJECT_BINARY_DIR};${PROJECT_NAME};ALL;/")
# Seen by deb_finish.cmake (CPack passes CPACK_* variables to its scripts).
set(CPACK_DLTDUMP_CHANGELOG ${DLTDUMP_DEB_CHANGELOG})
set(CPACK_DLTDUMP_DOCDIR ${CMAKE_INSTALL_DOCDIR})
set(CPACK_DLTDUMP_MANDIR ${CMAKE_INSTALL_MANDIR})
include(CPack)
