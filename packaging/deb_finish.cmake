# Run by CPack (CPACK_PRE_BUILD_SCRIPTS, see cmake/packaging.cmake) on the staged tree of
# the Debian package, before the archive is made: Debian keeps manual pages, the
# package's changelog and documents over 4 KiB gzipped (gzip -9n: no name or time stamp in the header, so the
# package's bytes depend only on its contents).
set(root "${CPACK_TEMPORARY_INSTALL_DIRECTORY}${CPACK_PACKAGING_INSTALL_PREFIX}")
if(NOT IS_DIRECTORY "${root}")
  message(FATAL_ERROR "deb_finish.cmake: no staged tree at ${root}")
endif()

function(gzip_in_place file)
  execute_process(COMMAND gzip -9nf "${file}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "deb_finish.cmake: gzip ${file} failed (${rc})")
  endif()
endfunction()

file(GLOB pages "${root}/${CPACK_DLTDUMP_MANDIR}/man*/*")
foreach(page IN LISTS pages)
  if(NOT page MATCHES "\\.gz$")
    gzip_in_place("${page}")
  endif()
endforeach()

# The documents too (Debian Policy 12.3: those over 4 KiB compressed; zless reads them).
file(GLOB documents "${root}/${CPACK_DLTDUMP_DOCDIR}/*.md" "${root}/${CPACK_DLTDUMP_DOCDIR}/*.json")
foreach(document IN LISTS documents)
  file(SIZE "${document}" size)
  if(size GREATER 4096)
    gzip_in_place("${document}")
  endif()
endforeach()

set(changelog "${root}/${CPACK_DLTDUMP_DOCDIR}/changelog.Debian")
file(COPY_FILE "${CPACK_DLTDUMP_CHANGELOG}" "${changelog}")
gzip_in_place("${changelog}")
