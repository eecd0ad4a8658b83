// Progress of long jobs that run on several tracks at once (e.g. classifiers on one thread, a
// CNN on another): one line on stderr, redrawn at most 5 times a second when stderr is a
// terminal, with each track's share done and an ETA extrapolated from its elapsed time. Log
// lines (log()) are printed above the bar in any case, so a redirected stderr still shows each
// step as it finishes.
#pragma once
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

namespace wst::cli {

class ProgressBoard {
 public:
  ProgressBoard() : tty_(::isatty(STDERR_FILENO) != 0), start_(Clock::now()) {}
  ~ProgressBoard() { clear(); }

  // A track whose work is measured in `total` units of comparable cost; returns its id.
  int add_track(std::string name, double total) {
    std::lock_guard lock(mutex_);
    tracks_.push_back({std::move(name), total, 0, Clock::now(), false});
    return int(tracks_.size()) - 1;
  }
  void set_total(int track, double total) {
    std::lock_guard lock(mutex_);
    tracks_[track].total = total;
  }
  // Sets the units done (monotone) and redraws if due.
  void update(int track, double done) {
    std::lock_guard lock(mutex_);
    Track& t = tracks_[track];
    if (t.done == 0 && done > 0 && !t.started) t.started = true;
    t.done = std::max(t.done, std::min(done, t.total));
    draw(false);
  }
  // Prints a line (with the elapsed time) above the bar.
  void log(const std::string& line) {
    std::lock_guard lock(mutex_);
    if (tty_) std::fputs("\r\033[K", stderr);
    std::fprintf(stderr, "[%6.1f s] %s\n", seconds(start_), line.c_str());
    draw(true);
  }
  void clear() {
    std::lock_guard lock(mutex_);
    if (tty_ && drawn_) std::fputs("\r\033[K", stderr);
    drawn_ = false;
  }
  double elapsed() const { return seconds(start_); }

 private:
  using Clock = std::chrono::steady_clock;
  struct Track {
    std::string name;
    double total, done;
    Clock::time_point begin;
    bool started;
  };
  static double seconds(Clock::time_point since) {
    return std::chrono::duration<double>(Clock::now() - since).count();
  }
  static std::string duration(double s) {
    char buf[32];
    if (s >= 60)
      std::snprintf(buf, sizeof buf, "%dm%02ds", int(s) / 60, int(s) % 60);
    else
      std::snprintf(buf, sizeof buf, "%ds", int(s));
    return buf;
  }
  void draw(bool force) {
    if (!tty_) return;
    const auto now = Clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    std::string line;
    for (const Track& t : tracks_) {
      if (t.total <= 0) continue;
      const double f = std::min(1.0, t.done / t.total);
      const int width = 16, filled = int(f * width);
      line += (line.empty() ? "" : "  ") + t.name + " [" + std::string(filled, '=') +
              std::string(width - filled, ' ') + "] " + std::to_string(int(100 * f)) + "%";
      if (f > 0 && f < 1) line += " ETA " + duration(seconds(t.begin) * (1 - f) / f);
    }
    std::fprintf(stderr, "\r%s\033[K", line.c_str());
    std::fflush(stderr);
    drawn_ = true;
  }

  const bool tty_;
  const Clock::time_point start_;
  Clock::time_point last_{};
  bool drawn_ = false;
  std::mutex mutex_;
  std::vector<Track> tracks_;
};

}  // namespace wst::cli
