# libdltdump.so: the public API (include/dltdump/, the C++ classes and the C functions of
# dltdump.h) with every layer below it linked in, exporting only the public API:
# the API's sources are compiled with hidden visibility (DLTDUMP_API marks what is
# exported), the static layers' symbols are made local (--exclude-libs) and a version
# script (cmake/libdltdump.map) keeps the standard library's template instances inside. Included from
# src/CMakeLists.txt, after the layers.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

configure_file(${PROJECT_SOURCE_DIR}/include/dltdump/version.hpp.in
               ${PROJECT_BINARY_DIR}/include/dltdump/version.hpp @ONLY)
set(dltdump_public_includes
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include> $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>)
target_include_directories(dltdump_api PUBLIC ${dltdump_public_includes})
set_target_properties(dltdump_api PROPERTIES CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)

add_library(dltdump_shared SHARED ${DLTDUMP_API_SOURCES})
add_library(dltdump::dltdump ALIAS dltdump_shared)
set_target_properties(dltdump_shared PROPERTIES
  OUTPUT_NAME dltdump
  EXPORT_NAME dltdump
  VERSION ${PROJECT_VERSION}
  # 0.x: a minor release may change the interface, so it is part of the SONAME.
  SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}
  CXX_VISIBILITY_PRESET hidden
  VISIBILITY_INLINES_HIDDEN ON)
target_include_directories(dltdump_shared
  PUBLIC ${dltdump_public_includes} $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
  PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/layers/api)
target_compile_features(dltdump_shared PUBLIC cxx_std_20)
target_link_libraries(dltdump_shared PRIVATE dltdump_app dltdump_fibex)
target_link_options(dltdump_shared PRIVATE -Wl,--exclude-libs,ALL
                    -Wl,--version-script=${PROJECT_SOURCE_DIR}/cmake/libdltdump.map)
if(NOT DLTDUMP_FUZZ)
  # Every symbol resolved at link time (a fuzzing build's coverage hooks come with the
  # fuzzer's runtime, in the program).
  target_link_options(dltdump_shared PRIVATE -Wl,--no-undefined)
endif()
set_property(TARGET dltdump_shared APPEND PROPERTY LINK_DEPENDS ${PROJECT_SOURCE_DIR}/cmake/libdltdump.map)
add_dependencies(dltdump_shared check_layers)

# cmake --install: the library, its headers, the CMake package (find_package(dltdump) →
# dltdump::dltdump) and dltdump.pc, relocatable (the prefix is where the files are).
install(TARGETS dltdump_shared EXPORT dltdumpTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/dltdump DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/dltdump/version.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/dltdump)
set(dltdump_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/dltdump)
install(EXPORT dltdumpTargets NAMESPACE dltdump:: DESTINATION ${dltdump_cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/dltdumpConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/dltdumpConfig.cmake INSTALL_DESTINATION ${dltdump_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/dltdumpConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/dltdumpConfig.cmake ${PROJECT_BINARY_DIR}/dltdumpConfigVersion.cmake
        DESTINATION ${dltdump_cmake_dir})
# pkg-config: the prefix found from the .pc file's own place (${pcfiledir}).
file(RELATIVE_PATH dltdump_pc_to_prefix /root/${CMAKE_INSTALL_LIBDIR}/pkgconfig /root)
configure_file(${PROJECT_SOURCE_DIR}/cmake/dltdump.pc.in ${PROJECT_BINARY_DIR}/dltdump.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/dltdump.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
