# sw.js for one build: web/sw.js with the list of files to precache and a hash of their
# contents (and of the worker itself), so a new build gets a new cache.
# cmake -DIN=web/sw.js -DOUT=build/web/sw.js -DWEB=build/web "-DFILES=index.html;shell.js;shell/bridge.js;..." -P make_sw.cmake
file(READ "${IN}" worker)
set(manifest "")
set(list "")
foreach(f ${FILES})
  file(SHA256 "${WEB}/${f}" digest)  # a missing file stops the build
  string(APPEND manifest "${f} ${digest}\n")
  string(APPEND list "  '${f}',\n")
endforeach()
string(SHA256 build_hash "${manifest}${worker}")
string(SUBSTRING "${build_hash}" 0 16 build_hash)
string(REGEX REPLACE ",\n$" "" list "${list}")
string(REPLACE "@LL_BUILD_HASH@" "${build_hash}" worker "${worker}")
string(REPLACE "@LL_PRECACHE@" "${list}" worker "${worker}")
file(WRITE "${OUT}" "${worker}")
