// ringcache-sim: runs simulation scenarios from seeds (see docs/simulator.md).
#include <cstdio>

int main(int argc, char** argv) {
  std::fprintf(stderr, "usage: ringcache-sim run|sweep|shrink|regressions ...\n");
  return 2;
}
