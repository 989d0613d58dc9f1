# SPDX-License-Identifier: MIT
# lc_unit_test(NAME SOURCES src... LIBS lib...): a cmocka test executable registered with ctest
# under the label "unit". Tests mirror src/: tests/unit/<module>/test_<file>.c.
function(lc_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} PkgConfig::CMOCKA)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS unit)
endfunction()
