# Installation: headers, the versioned shared library, the CLI, the default mappings, an
# exported CMake package (find_package(actions_singlestore CONFIG)) and a pkg-config file.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS actions_singlestore EXPORT actions_singlestore_targets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT development
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS actions-singlestore RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/actions DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  COMPONENT development FILES_MATCHING PATTERN "*.h" PATTERN "*.in" EXCLUDE)
install(FILES ${PROJECT_BINARY_DIR}/include/actions/version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/actions COMPONENT development)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/mappings/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/actions-singlestore/mappings COMPONENT runtime)

set(config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/actions_singlestore)
install(EXPORT actions_singlestore_targets NAMESPACE actions_singlestore::
  FILE actions_singlestoreTargets.cmake DESTINATION ${config_dir} COMPONENT development)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/actions_singlestoreConfig.cmake.in
  ${PROJECT_BINARY_DIR}/actions_singlestoreConfig.cmake INSTALL_DESTINATION ${config_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/actions_singlestoreConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/actions_singlestoreConfig.cmake
  ${PROJECT_BINARY_DIR}/actions_singlestoreConfigVersion.cmake
  DESTINATION ${config_dir} COMPONENT development)

# The .pc file finds its prefix from its own location, so `cmake --install --prefix DIR` (or a
# moved tree) stays correct; the prefix known at configure time may not be where it lands.
file(RELATIVE_PATH pc_prefix_from_pcfiledir /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" pc_prefix_from_pcfiledir "${pc_prefix_from_pcfiledir}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/actions_singlestore.pc.in
  ${PROJECT_BINARY_DIR}/actions_singlestore.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/actions_singlestore.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT development)
