#include "wst/fft.hpp"

#include <fftw3.h>

#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <stdexcept>

#include "wst/temporary.hpp"  // the wisdom files are removed if the process is interrupted

namespace wst {
namespace {

std::mutex& planner_lock() {
  static std::mutex m;
  return m;
}

unsigned flags_for(Planning p) { return p == Planning::measure ? FFTW_MEASURE : FFTW_ESTIMATE; }

// The FFTW API of one precision, selected by T.
template <class T>
struct Api;

template <>
struct Api<double> {
  using plan = fftw_plan;
  using cpx = fftw_complex;
  static constexpr auto many_dft = fftw_plan_many_dft;
  static constexpr auto many_r2c = fftw_plan_many_dft_r2c;
  static constexpr auto many_c2r = fftw_plan_many_dft_c2r;
  static constexpr auto exec_dft = fftw_execute_dft;
  static constexpr auto exec_r2c = fftw_execute_dft_r2c;
  static constexpr auto exec_c2r = fftw_execute_dft_c2r;
  static constexpr auto destroy = fftw_destroy_plan;
};

template <>
struct Api<float> {
  using plan = fftwf_plan;
  using cpx = fftwf_complex;
  static constexpr auto many_dft = fftwf_plan_many_dft;
  static constexpr auto many_r2c = fftwf_plan_many_dft_r2c;
  static constexpr auto many_c2r = fftwf_plan_many_dft_c2r;
  static constexpr auto exec_dft = fftwf_execute_dft;
  static constexpr auto exec_r2c = fftwf_execute_dft_r2c;
  static constexpr auto exec_c2r = fftwf_execute_dft_c2r;
  static constexpr auto destroy = fftwf_destroy_plan;
};

}  // namespace

template <class T>
FftPlan<T>::FftPlan(Kind kind, std::vector<int> dims, int howmany, Planning planning,
                    Layout layout)
    : kind_(kind) {
  using A = Api<T>;
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
FftPlan<T>::~FftPlan() {
  if (plan_) {
    std::lock_guard<std::mutex> lock(planner_lock());
    Api<T>::destroy(static_cast<typename Api<T>::plan>(plan_));
  }
}

template <class T>
FftPlan<T>::FftPlan(FftPlan&& o) noexcept : plan_(o.plan_), kind_(o.kind_) {
  o.plan_ = nullptr;
}

template <class T>
FftPlan<T>& FftPlan<T>::operator=(FftPlan&& o) noexcept {
  if (this != &o) {
    this->~FftPlan();
    plan_ = o.plan_;
    kind_ = o.kind_;
    o.plan_ = nullptr;
  }
  return *this;
}

template <class T>
void FftPlan<T>::operator()(const complex* in, complex* out) const {
  using C = typename Api<T>::cpx;
  Api<T>::exec_dft(static_cast<typename Api<T>::plan>(plan_),
                   reinterpret_cast<C*>(const_cast<complex*>(in)), reinterpret_cast<C*>(out));
}

template <class T>
void FftPlan<T>::operator()(const T* in, complex* out) const {
  using C = typename Api<T>::cpx;
  Api<T>::exec_r2c(static_cast<typename Api<T>::plan>(plan_), const_cast<T*>(in),
                   reinterpret_cast<C*>(out));
}

template <class T>
void FftPlan<T>::operator()(complex* in, T* out) const {
  using C = typename Api<T>::cpx;
  Api<T>::exec_c2r(static_cast<typename Api<T>::plan>(plan_), reinterpret_cast<C*>(in), out);
}

bool load_wisdom(const std::string& folder) {
  std::lock_guard<std::mutex> lock(planner_lock());
  const bool f = fftwf_import_wisdom_from_filename((folder + "/wisdom-f32").c_str()) != 0;
  const bool d = fftw_import_wisdom_from_filename((folder + "/wisdom-f64").c_str()) != 0;
  return f || d;
}

bool save_wisdom(const std::string& folder) {
  std::lock_guard<std::mutex> lock(planner_lock());
  auto save = [&](const std::string& name, auto export_fn) {
    const std::string path = folder + "/" + name, tmp = path + ".tmp." + std::to_string(::getpid());
    bool exported = false;
    const RemoveOnInterrupt guard = RemoveOnInterrupt::created_by([&] {
      exported = export_fn(tmp.c_str()) != 0;
      return tmp;
    });
    if (!exported) return std::remove(tmp.c_str()), false;
    return std::rename(tmp.c_str(), path.c_str()) == 0;
  };
  const bool f = save("wisdom-f32", fftwf_export_wisdom_to_filename);
  const bool d = save("wisdom-f64", fftw_export_wisdom_to_filename);
  return f && d;
}

template class FftPlan<float>;
template class FftPlan<double>;

}  // namespace wst
