#pragma once
#define LL_VERSION "0.1.0"
