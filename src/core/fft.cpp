#include "wst/core/fft.hpp"

#include <fftw3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <mutex>
#include <stdexcept>

#include "fftw_api.hpp"
#include "mixed_radix_fft.hpp"
#include "wst/support/temporary.hpp"  // the wisdom files are removed if the process is interrupted

namespace wst {

std::mutex& detail::fftw_planner_lock() {
  static std::mutex m;
  return m;
}

namespace {

std::mutex& planner_lock() { return detail::fftw_planner_lock(); }

unsigned flags_for(Planning p) { return p == Planning::measure ? FFTW_MEASURE : FFTW_ESTIMATE; }

template <class T>
using Api = detail::FftwApi<T>;

}  // namespace

template <class T>
FftPlan<T>::FftPlan(Kind kind, std::vector<int> dims, int howmany, Planning planning,
                    Layout layout)
    : kind_(kind) {
  using A = Api<T>;
  const char* only_fftw = std::getenv("WST_FFT");
  if (!(only_fftw && std::string(only_fftw) == "fftw")) {
    split_ = detail::MixedRadixFft<T>::make(kind, dims, howmany, flags_for(planning), layout);
    if (split_) return;
  }
  const int rank = static_cast<int>(dims.size());
  int n_real = 1, n_cpx = 1;
  for (int i = 0; i < rank; ++i) {
    n_real *= dims[i];
    n_cpx *= (i + 1 == rank && (kind == Kind::r2c || kind == Kind::c2r)) ? dims[i] / 2 + 1 : dims[i];
  }
  // Plan on scratch arrays of the same alignment as AlignedVector (MEASURE overwrites them).
  AlignedVector<std::complex<T>> a(static_cast<std::size_t>(n_cpx) * howmany + 1);
  AlignedVector<std::complex<T>> b(static_cast<std::size_t>(n_cpx) * howmany + 1);
  auto* ca = reinterpret_cast<typename A::cpx*>(a.data());
  auto* cb = reinterpret_cast<typename A::cpx*>(b.data());
  auto* ra = reinterpret_cast<T*>(a.data());
  auto* rb = reinterpret_cast<T*>(b.data());
  const unsigned flags = flags_for(planning);
  // Element stride and distance between transforms, for the real and the complex side.
  const bool inter = layout == Layout::interleaved;
  const int stride = inter ? howmany : 1;
  const int dist_real = inter ? 1 : n_real, dist_cpx = inter ? 1 : n_cpx;
  std::lock_guard<std::mutex> lock(planner_lock());
  typename A::plan p = nullptr;
  switch (kind) {
    case Kind::forward:
    case Kind::backward:
      p = A::many_dft(rank, dims.data(), howmany, ca, nullptr, stride, dist_cpx, cb, nullptr, stride, dist_cpx,
                      kind == Kind::forward ? FFTW_FORWARD : FFTW_BACKWARD, flags);
      break;
    case Kind::r2c:
      p = A::many_r2c(rank, dims.data(), howmany, ra, nullptr, stride, dist_real, cb, nullptr, stride, dist_cpx,
                      flags);
      break;
    case Kind::c2r:
      p = A::many_c2r(rank, dims.data(), howmany, ca, nullptr, stride, dist_cpx, rb, nullptr, stride, dist_real,
                      flags);
      break;
  }
  if (!p) throw std::runtime_error("FFTW could not create a plan");
  plan_ = p;
}

template <class T>
FftPlan<T>::FftPlan() = default;

template <class T>
FftPlan<T>::~FftPlan() {
  if (plan_) {
    std::lock_guard<std::mutex> lock(planner_lock());
    Api<T>::destroy(static_cast<typename Api<T>::plan>(plan_));
  }
}

template <class T>
FftPlan<T>::FftPlan(FftPlan&& o) noexcept : plan_(o.plan_), split_(std::move(o.split_)), kind_(o.kind_) {
  o.plan_ = nullptr;
}

template <class T>
FftPlan<T>& FftPlan<T>::operator=(FftPlan&& o) noexcept {
  if (this != &o) {
    if (plan_) {
      std::lock_guard<std::mutex> lock(planner_lock());
      Api<T>::destroy(static_cast<typename Api<T>::plan>(plan_));
    }
    plan_ = o.plan_;
    split_ = std::move(o.split_);
    kind_ = o.kind_;
    o.plan_ = nullptr;
  }
  return *this;
}

template <class T>
std::string FftPlan<T>::algorithm() const {
  return split_ ? split_->algorithm() : "fftw";
}

template <class T>
void FftPlan<T>::operator()(const complex* in, complex* out) const {
  if (split_) return (*split_)(in, out);
  using C = typename Api<T>::cpx;
  Api<T>::exec_dft(static_cast<typename Api<T>::plan>(plan_),
                   reinterpret_cast<C*>(const_cast<complex*>(in)), reinterpret_cast<C*>(out));
}

template <class T>
void FftPlan<T>::operator()(const T* in, complex* out) const {
  if (split_) return (*split_)(in, out);
  using C = typename Api<T>::cpx;
  Api<T>::exec_r2c(static_cast<typename Api<T>::plan>(plan_), const_cast<T*>(in),
                   reinterpret_cast<C*>(out));
}

template <class T>
void FftPlan<T>::operator()(complex* in, T* out) const {
  if (split_) return (*split_)(in, out);
  using C = typename Api<T>::cpx;
  Api<T>::exec_c2r(static_cast<typename Api<T>::plan>(plan_), reinterpret_cast<C*>(in), out);
}

namespace {

// The content of a regular wisdom file of at most 16 MiB ("" otherwise). Opened without following
// a symlink or blocking, so a FIFO or device there cannot hang the run.
std::string read_wisdom(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return {};
  std::string text;
  struct stat st{};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= (16 << 20)) {
    text.resize(std::size_t(st.st_size));
    std::size_t got = 0;
    while (got < text.size()) {
      const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += std::size_t(n);
    }
    text.resize(got);
  }
  ::close(fd);
  return text;
}

// Writes `text` to a fresh, unpredictable temporary beside `path` (never through a symlink) and
// renames it into place.
bool write_wisdom(const std::string& path, const std::string& text) {
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  std::string tmp;
  int fd = -1;
  RemoveOnInterrupt guard;
  for (int attempt = 0; attempt < 10 && fd < 0; ++attempt) {
    tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++) + "." +
          std::to_string(rd());
    guard = RemoveOnInterrupt::created_by([&] {
      fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      return fd >= 0 ? tmp : std::string();
    });
  }
  if (fd < 0) return false;
  bool ok = true;
  for (std::size_t done = 0; ok && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += std::size_t(n);
  }
  ok = ::close(fd) == 0 && ok;
  if (ok && ::rename(tmp.c_str(), path.c_str()) == 0) return true;
  ::unlink(tmp.c_str());
  return false;
}

}  // namespace

bool load_wisdom(const std::string& folder) {
  std::lock_guard<std::mutex> lock(planner_lock());
  const std::string f32 = read_wisdom(folder + "/wisdom-f32");
  const std::string f64 = read_wisdom(folder + "/wisdom-f64");
  const bool f = !f32.empty() && fftwf_import_wisdom_from_string(f32.c_str()) != 0;
  const bool d = !f64.empty() && fftw_import_wisdom_from_string(f64.c_str()) != 0;
  return f || d;
}

bool save_wisdom(const std::string& folder) {
  std::lock_guard<std::mutex> lock(planner_lock());
  auto save = [&](const std::string& name, char* text) {
    if (!text) return false;
    const bool ok = write_wisdom(folder + "/" + name, text);
    std::free(text);
    return ok;
  };
  const bool f = save("wisdom-f32", fftwf_export_wisdom_to_string());
  const bool d = save("wisdom-f64", fftw_export_wisdom_to_string());
  return f && d;
}

template class FftPlan<float>;
template class FftPlan<double>;

}  // namespace wst
