// Times one in-process run of KTAB's SMP (library API SMPModel::runModel)
// with every SQL logging group switched off and easylogging disabled by the
// logger configuration given, so that the figure is KTAB's computation only.
// Written for negotium's bench/smp_vs_ktab.sh; links against KTAB's objects.
// Usage: smp_driver <input.csv> <logger.conf>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>
#include "smp.h"

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <input.csv> <logger.conf>\n", argv[0]);
    return 2;
  }
  KBase::Model::configLogger(argv[2]);
  if (!SMPLib::SMPModel::loginCredentials("Driver=QSQLITE;Database=driver")) {
    std::fprintf(stderr, "no database driver\n");
    return 1;
  }
  const std::vector<bool> noSql = {false, false, false, false, false};
  const auto t0 = std::chrono::steady_clock::now();
  const std::string id = SMPLib::SMPModel::runModel(noSql, argv[1], KBase::dSeed, false, {});
  const auto t1 = std::chrono::steady_clock::now();
  if (id.empty()) {
    std::fprintf(stderr, "KTAB error: %s\n", KBase::Model::getLastError().c_str());
    return 1;
  }
  const unsigned int turns = SMPLib::SMPModel::getIterationCount() - 1;  // states - 1
  std::printf("%u %.6f\n", turns, std::chrono::duration<double>(t1 - t0).count());
  SMPLib::SMPModel::destroyModel();
  return 0;
}
