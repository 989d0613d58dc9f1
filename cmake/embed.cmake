# SPDX-License-Identifier: MIT
# lc_embed(OUT SYMBOL FILE...): generates OUT, a C file defining
#   const lc_embed_file_t SYMBOL[]; const size_t SYMBOL_count;
# from FILEs (sorted by name), so that SQL migrations, the GraphQL schema and the Console's
# assets travel inside the binary. A changed input file regenerates OUT.
function(lc_embed out symbol)
  set(files ${ARGN})
  list(SORT files)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DSYMBOL=${symbol} "-DFILES=${files}"
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_gen.cmake
    DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/embed_gen.cmake
    COMMENT "Embedding ${symbol}"
    VERBATIM)
endfunction()
