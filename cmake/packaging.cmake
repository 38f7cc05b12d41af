# install() rules and the Debian package (CPack DEB). Build the package in a Release tree:
#   cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DPCBRIDGE_BUILD_BENCHMARKS=OFF
#   cmake --build build-release --target pcbridge pcbridge-man
#   (cd build-release && cpack -G DEB)          # -> build-release/pcbridge_<version>_<arch>.deb
# scripts/package-test.sh does exactly this and checks the package's contents.
#
# Layout (Debian's, not the install prefix's: /etc and the unit directory are absolute):
#   /usr/bin/pcbridge                         the binary, stripped (CPACK_STRIP_FILES)
#   /etc/pcbridge/pcbridge.yaml               conffile: deploy/config/systemd.yaml, the config the
#                                             unit runs (no secret in it; secrets are credentials)
#   /etc/pcbridge/secrets/                    0700, empty: the unit's LoadCredential= directory
#   /lib/systemd/system/pcbridge.service      deploy/systemd/pcbridge.service, ExecStart=/usr/bin/...
#   /usr/share/man/man1/pcbridge.1.gz         generated from `pcbridge --help` (man_from_help.cmake)
#   /usr/share/doc/pcbridge/                  LICENSE, CHANGELOG.md, README.md, and
#                                             examples/pcbridge.example.yaml (every key, defaults)
# The package does not enable or start the service: its config needs the V2 client id and the
# secret files first (README "Packaging").
# Neither the simulator nor any test is installed, and installing builds nothing but what is
# listed here (CMAKE_SKIP_INSTALL_ALL_DEPENDENCY): cpack does not compile the test suite.
if(NOT TARGET pcbridge)
  return()
endif()
include(GNUInstallDirs)
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)

set(PCBRIDGE_SYSCONF_DIR /etc/pcbridge)
set(PCBRIDGE_UNIT_DIR /lib/systemd/system)
set(PCBRIDGE_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/pcbridge)
set(PCBRIDGE_PACKAGE_DIR ${PROJECT_BINARY_DIR}/package)

# The unit names /usr/local/bin/pcbridge for a manual install; the package's binary is in /usr/bin.
set(unit_source ${PROJECT_SOURCE_DIR}/deploy/systemd/pcbridge.service)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${unit_source})
file(READ ${unit_source} unit)
string(REPLACE "/usr/local/bin/pcbridge" "/usr/bin/pcbridge" unit "${unit}")
if(NOT unit MATCHES "\nExecStart=/usr/bin/pcbridge ")
  message(FATAL_ERROR "packaging.cmake: ${unit_source} has no ExecStart=/usr/local/bin/pcbridge to point at /usr/bin")
endif()
file(WRITE ${PCBRIDGE_PACKAGE_DIR}/pcbridge.service
  "# Installed by the pcbridge Debian package: binary /usr/bin/pcbridge, config\n"
  "# /etc/pcbridge/pcbridge.yaml, secrets in /etc/pcbridge/secrets (the steps below are for a\n"
  "# manual install without the package).\n${unit}")

set(PCBRIDGE_MAN_FILES
  ${PCBRIDGE_SYSCONF_DIR}/pcbridge.yaml ${PCBRIDGE_SYSCONF_DIR}/secrets
  ${PCBRIDGE_UNIT_DIR}/pcbridge.service
  /usr/${PCBRIDGE_DOC_DIR}/examples/pcbridge.example.yaml)
set(man_page ${PCBRIDGE_PACKAGE_DIR}/pcbridge.1)
add_custom_command(OUTPUT ${man_page}.gz
  COMMAND ${CMAKE_COMMAND} -DPCBRIDGE=$<TARGET_FILE:pcbridge> -DOUT=${man_page}
          "-DFILES=${PCBRIDGE_MAN_FILES}" -P ${PROJECT_SOURCE_DIR}/cmake/man_from_help.cmake
  # Debian policy: man pages gzip -9, no name or time stamp in the header (-n).
  COMMAND gzip -9nf ${man_page}
  DEPENDS pcbridge ${PROJECT_SOURCE_DIR}/cmake/man_from_help.cmake
  COMMENT "Generating pcbridge.1 from pcbridge --help"
  VERBATIM)
# Part of `all` for plain builds only: a sanitized or fuzzing binary's --help is not the page's
# business (and a report there would fail an unrelated build).
if(PCBRIDGE_SANITIZE OR PCBRIDGE_FUZZ)
  add_custom_target(pcbridge-man DEPENDS ${man_page}.gz)
else()
  add_custom_target(pcbridge-man ALL DEPENDS ${man_page}.gz)
endif()

install(FILES ${PROJECT_SOURCE_DIR}/deploy/config/systemd.yaml
        DESTINATION ${PCBRIDGE_SYSCONF_DIR} RENAME pcbridge.yaml
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(DIRECTORY DESTINATION ${PCBRIDGE_SYSCONF_DIR}/secrets
        DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
install(FILES ${PCBRIDGE_PACKAGE_DIR}/pcbridge.service DESTINATION ${PCBRIDGE_UNIT_DIR}
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(FILES ${man_page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
set(doc_files ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/THIRD-PARTY-NOTICES ${PROJECT_SOURCE_DIR}/README.md)
if(EXISTS ${PROJECT_SOURCE_DIR}/CHANGELOG.md)
  list(APPEND doc_files ${PROJECT_SOURCE_DIR}/CHANGELOG.md)
endif()
install(FILES ${doc_files} DESTINATION ${PCBRIDGE_DOC_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/config/pcbridge.example.yaml DESTINATION ${PCBRIDGE_DOC_DIR}/examples)

# The package. Version: project(); architecture: dpkg --print-architecture; run-time
# dependencies: dpkg-shlibdeps on the binary (libboost-url1.81.0, libssl3, libyaml-cpp0.7,
# libstdc++6, libc6 on bookworm; pugixml is linked statically), so they follow whatever the
# build linked.
set(PCBRIDGE_DEB_MAINTAINER "pcbridge maintainers <pcbridge-maintainers@example.org>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pcbridge)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${PCBRIDGE_DEB_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${PCBRIDGE_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Debian: a summary line, then the extended text in lines under 80 columns.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "serves legacy PowerClerk V1 API clients through the V2 API\n"
  "pcbridge is a reverse proxy that keeps legacy PowerClerk V1 API clients\n"
  "(XML, HTTP Basic, /Services.svc/v1) working against the V2 API (JSON,\n"
  "OAuth 2.0 client credentials, /services/v2), translating requests and\n"
  "answers both ways and pacing calls to the V2 quota. This package installs\n"
  "the binary, its systemd unit (not enabled) and a configuration in\n"
  "/etc/pcbridge to complete before the service is started.")
string(REPLACE ";" "" CPACK_DEBIAN_PACKAGE_DESCRIPTION "${CPACK_DEBIAN_PACKAGE_DESCRIPTION}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/deb/conffiles.in ${PCBRIDGE_PACKAGE_DIR}/control/conffiles @ONLY)
foreach(script postinst prerm postrm)
  file(COPY ${PROJECT_SOURCE_DIR}/cmake/deb/${script} DESTINATION ${PCBRIDGE_PACKAGE_DIR}/control
       FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endforeach()
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${PCBRIDGE_PACKAGE_DIR}/control/conffiles ${PCBRIDGE_PACKAGE_DIR}/control/postinst
  ${PCBRIDGE_PACKAGE_DIR}/control/prerm ${PCBRIDGE_PACKAGE_DIR}/control/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
