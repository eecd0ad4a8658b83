// The `wst._wst` extension: scattering transforms, time-frequency tools and the lab
// experiments of the C++ library.
// The public API lives in the pure-Python package `wst` (python/wst/), which wraps these classes.
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "wst/support/error.hpp"

namespace py = pybind11;

namespace wst::python {
void bind_harmonic_scattering_3d(py::module_& m);  // harmonic_scattering_3d.cpp
void bind_learn(py::module_& m);                   // learn.cpp
}

PYBIND11_MODULE(_wst, m) {
  m.doc() = "C++ core of the wst package (wavelet scattering transform)";
  // Library errors, with the CLI's message text: bad parameters and bad data → ValueError,
  // files → OSError.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const wst::UsageError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const wst::InputError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const wst::IoError& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    }
  });
  wst::python::bind_scattering_1d(m);
  wst::python::bind_scattering_2d(m);
  wst::python::bind_time_frequency(m);
  wst::python::bind_time_frequency_scattering(m);
  wst::python::bind_lab(m);
  wst::python::bind_harmonic_scattering_3d(m);
  wst::python::bind_learn(m);
}
