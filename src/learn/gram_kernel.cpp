// One instruction set's Gram product, compiled once per instruction set with its own flags
// (CMakeLists.txt): WST_GRAM_FUNCTION names the function, WST_GRAM_EIGEN the namespace that
// Eigen's templates take here. Renaming Eigen keeps these instantiations apart from the baseline
// ones the rest of the library uses, so the linker can never merge an AVX-512 copy into code
// that runs on a CPU without AVX-512. This file includes nothing else of the library.
#define Eigen WST_GRAM_EIGEN
#include <Eigen/Core>

#include <cstddef>

namespace wst::learn::detail {

void WST_GRAM_FUNCTION(const float* A, std::ptrdiff_t ra, const float* B, std::ptrdiff_t rb,
                       std::ptrdiff_t d, float* G) {
  using Rows = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const Rows> a(A, ra, d), b(B, rb, d);
  Eigen::Map<Rows> g(G, ra, rb);
  g.noalias() = a * b.transpose();
}

}  // namespace wst::learn::detail
