# Every dependency comes from a Debian package; a missing one stops configure and names the
# package that provides it, so a fresh machine needs one apt-get line (see scripts/setup).
find_package(PkgConfig)
if(NOT PkgConfig_FOUND)
  message(FATAL_ERROR "pkg-config not found: install the Debian package 'pkg-config'")
endif()

pkg_check_modules(MARIADB IMPORTED_TARGET libmariadb)
if(NOT MARIADB_FOUND)
  pkg_check_modules(MARIADB IMPORTED_TARGET mysqlclient)
endif()
if(NOT MARIADB_FOUND)
  message(FATAL_ERROR "libmysqlclient not found: install the Debian package 'libmariadb-dev-compat'")
endif()

find_path(RAPIDJSON_INCLUDE_DIR rapidjson/document.h)
if(NOT RAPIDJSON_INCLUDE_DIR)
  message(FATAL_ERROR "RapidJSON not found: install the Debian package 'rapidjson-dev'")
endif()
add_library(rapidjson INTERFACE IMPORTED)
# RapidJSON's std::string helpers and its SSE4.2 scanner for whitespace.
target_compile_definitions(rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1)
target_include_directories(rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIR})

find_package(fmt QUIET)
if(NOT fmt_FOUND)
  message(FATAL_ERROR "fmt not found: install the Debian package 'libfmt-dev'")
endif()

find_package(CLI11 QUIET)
if(NOT CLI11_FOUND)
  message(FATAL_ERROR "CLI11 not found: install the Debian package 'libcli11-dev'")
endif()

find_package(ZLIB QUIET)
if(NOT ZLIB_FOUND)
  message(FATAL_ERROR "zlib not found: install the Debian package 'zlib1g-dev'")
endif()

# xxHash: the spool's record checksums (lib/spool/frame.h).
pkg_check_modules(XXHASH IMPORTED_TARGET libxxhash)
if(NOT XXHASH_FOUND)
  message(FATAL_ERROR "xxHash not found: install the Debian package 'libxxhash-dev'")
endif()

find_package(Threads REQUIRED)

# Boost.Beast and Asio (header-only) for `serve`.
find_package(Boost 1.74 CONFIG QUIET)
if(NOT Boost_FOUND OR NOT TARGET Boost::headers)
  message(FATAL_ERROR "Boost (Beast, Asio) not found: install the Debian package 'libboost-dev'")
endif()

if(ACTIONS_BUILD_TESTS)
  find_package(GTest QUIET)
  if(NOT GTest_FOUND)
    message(FATAL_ERROR "GoogleTest not found: install the Debian packages 'libgtest-dev' and 'libgmock-dev'")
  endif()
  include(GoogleTest)
endif()
if(ACTIONS_BUILD_BENCH)
  find_package(benchmark QUIET)
  if(NOT benchmark_FOUND)
    message(STATUS "Google Benchmark not found (Debian package 'libbenchmark-dev'): benchmarks are not built")
    set(ACTIONS_BUILD_BENCH OFF)
  endif()
endif()
