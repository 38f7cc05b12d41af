# Run at build time (not configure time) by the pcbridge_build_revision target, so the
# revision follows the checkout without re-running CMake. Writes OUT from IN; configure_file
# leaves OUT untouched when nothing changed, so only build_info.cpp recompiles, and only then.
#   -DSRC=<source dir> -DIN=<template> -DOUT=<header> -DVERSION=<project version>
set(PCBRIDGE_GIT_REVISION "")
find_program(GIT git)
if(GIT)
  # Only SRC's own repository counts: a source tarball unpacked inside another checkout
  # must not report that checkout's revision.
  execute_process(COMMAND ${GIT} -C ${SRC} rev-parse --show-toplevel
                  OUTPUT_VARIABLE top RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(rc EQUAL 0)
    file(REAL_PATH "${top}" top)
    file(REAL_PATH "${SRC}" src)
  endif()
  if(rc EQUAL 0 AND top STREQUAL src)
    execute_process(COMMAND ${GIT} -C ${SRC} rev-parse --short=12 HEAD
                    OUTPUT_VARIABLE rev RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(rc EQUAL 0)
      execute_process(COMMAND ${GIT} -C ${SRC} diff --quiet HEAD -- RESULT_VARIABLE dirty ERROR_QUIET)
      if(NOT dirty EQUAL 0)
        string(APPEND rev "-dirty")
      endif()
      set(PCBRIDGE_GIT_REVISION "${rev}")
    endif()
  endif()
endif()
set(PCBRIDGE_VERSION "${VERSION}")
configure_file(${IN} ${OUT} @ONLY)
