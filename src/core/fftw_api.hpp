// FFTW's API of one precision, selected by T (float: fftwf_*, double: fftw_*), and the one lock
// its planner needs (it is not thread-safe; executing plans is).
#pragma once
#include <fftw3.h>

#include <mutex>

namespace wst::detail {

std::mutex& fftw_planner_lock();

template <class T>
struct FftwApi;

template <>
struct FftwApi<double> {
  using plan = fftw_plan;
  using cpx = fftw_complex;
  using iodim = fftw_iodim;
  static constexpr auto many_dft = fftw_plan_many_dft;
  static constexpr auto many_r2c = fftw_plan_many_dft_r2c;
  static constexpr auto many_c2r = fftw_plan_many_dft_c2r;
  static constexpr auto guru_dft = fftw_plan_guru_dft;
  static constexpr auto exec_dft = fftw_execute_dft;
  static constexpr auto exec_r2c = fftw_execute_dft_r2c;
  static constexpr auto exec_c2r = fftw_execute_dft_c2r;
  static constexpr auto destroy = fftw_destroy_plan;
};

template <>
struct FftwApi<float> {
  using plan = fftwf_plan;
  using cpx = fftwf_complex;
  using iodim = fftwf_iodim;
  static constexpr auto many_dft = fftwf_plan_many_dft;
  static constexpr auto many_r2c = fftwf_plan_many_dft_r2c;
  static constexpr auto many_c2r = fftwf_plan_many_dft_c2r;
  static constexpr auto guru_dft = fftwf_plan_guru_dft;
  static constexpr auto exec_dft = fftwf_execute_dft;
  static constexpr auto exec_r2c = fftwf_execute_dft_r2c;
  static constexpr auto exec_c2r = fftwf_execute_dft_c2r;
  static constexpr auto destroy = fftwf_destroy_plan;
};

}  // namespace wst::detail
