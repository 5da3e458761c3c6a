# Wraps Emscripten's ES module output: node shim first, the public factory last.
# cmake -DIN=raw.mjs -DOUT=layerlab-core.mjs -DPREFIX=... -DSUFFIX=... -P finish_module.cmake
file(READ "${IN}" body)
string(REGEX REPLACE "export default createLayerLabModule;[ \t\r\n]*$" "" body "${body}")
file(READ "${PREFIX}" prefix)
file(READ "${SUFFIX}" suffix)
file(WRITE "${OUT}" "${prefix}${body}${suffix}")
