# libFuzzer over tokenizer + parser + compiler (+ dis, marshal round trip):
# tests/fuzz/frontend_compile.c.  Clang only, built with ASan+UBSan and the
# front end compiled into the fuzzer so that its coverage is seen.  Included
# from tests/compile/CMakeLists.txt.  ctest runs a short fixed-size session
# (compile_fuzz_short: -runs from seed 1, not a time limit); long runs by hand:
#   build/tests/frontend_compile_fuzz -max_total_time=600 -max_len=65536 \
#       CORPUS_DIR build/compile-fuzz/seeds
if(CMAKE_C_COMPILER_ID MATCHES "Clang")
  include(CheckCSourceCompiles)
  set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer")
  check_c_source_compiles("#include <stdint.h>
#include <stddef.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }"
    PYMM_HAVE_LIBFUZZER_COMPILE)
  unset(CMAKE_REQUIRED_FLAGS)
  if(PYMM_HAVE_LIBFUZZER_COMPILE)
    file(GLOB PMI_FUZZ_COMPILE_SOURCES ${CMAKE_SOURCE_DIR}/interp/*.c)
    list(REMOVE_ITEM PMI_FUZZ_COMPILE_SOURCES ${CMAKE_SOURCE_DIR}/interp/main.c)
    add_executable(frontend_compile_fuzz ${CMAKE_SOURCE_DIR}/tests/fuzz/frontend_compile.c
      ${CMAKE_SOURCE_DIR}/tests/fuzz/frontend_compile_rt.c
      ${PMI_FUZZ_COMPILE_SOURCES})
    target_include_directories(frontend_compile_fuzz PRIVATE ${CMAKE_SOURCE_DIR}/interp)
    set_source_files_properties(${CMAKE_SOURCE_DIR}/tests/fuzz/frontend_compile_rt.c PROPERTIES
      INCLUDE_DIRECTORIES ${CMAKE_SOURCE_DIR}/src)
    target_compile_options(frontend_compile_fuzz PRIVATE -fsanitize=fuzzer,address,undefined
      -fno-sanitize-recover=undefined)
    target_link_options(frontend_compile_fuzz PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(frontend_compile_fuzz PRIVATE pymm_static m)
    set_target_properties(frontend_compile_fuzz PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    add_test(NAME compile_fuzz_short COMMAND sh -c
      "rm -rf compile-fuzz && mkdir -p compile-fuzz/corpus && python3 '${CMAKE_SOURCE_DIR}/tests/fuzz/compile_seeds.py' compile-fuzz/seeds && exec '$<TARGET_FILE:frontend_compile_fuzz>' -runs=5000 -max_len=65536 -seed=1 -timeout=60 -rss_limit_mb=4096 compile-fuzz/corpus compile-fuzz/seeds"
      WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
    set_tests_properties(compile_fuzz_short PROPERTIES TIMEOUT 1800 LABELS fuzz)
  endif()
endif()
