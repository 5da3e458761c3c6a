# embed.html is index.html in embed mode (no page chrome in the app's sense,
# postMessage on): one page source, two outputs.
# cmake -DIN=web/index.html -DOUT=build/web/embed.html -P make_embed.cmake
file(READ "${IN}" page)
string(REPLACE "<body>" "<body data-embed=\"1\">" page "${page}")
string(REPLACE "<title>LayerLab — PyTorch layers, live</title>" "<title>LayerLab (embedded)</title>" page "${page}")
file(WRITE "${OUT}" "${page}")
