// How a long benchmark reports its progress: tracks of work measured in units of comparable
// cost, and a line per finished step. The library calls it and prints nothing; a command draws
// it (e.g. a progress bar on stderr). Calls may come from several threads at once.
#pragma once
#include <string>

namespace wst::lab {

class BenchmarkProgress {
 public:
  virtual ~BenchmarkProgress() = default;
  // A track of `total` units; returns its id for update().
  virtual int add_track(const std::string& name, double total) {
    (void)name, (void)total;
    return 0;
  }
  // `done` units of the track are done (non-decreasing).
  virtual void update(int track, double done) { (void)track, (void)done; }
  // A step has finished (one line, no newline).
  virtual void log(const std::string& line) { (void)line; }
  // The benchmark is over (a bar may be erased).
  virtual void finish() {}
};

}  // namespace wst::lab
