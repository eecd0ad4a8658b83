// The Gaussian SVM's hyper-parameter search on a Dask cluster (`wst mnist --scheduler ADDRESS`,
// docs/LEARNING.md): the cross-validation grid of learn/kernel_svm.hpp is handed to
// `python3 -m wst.dask_search` (python/wst/dask_search.py), which sends one task per γ scale to
// the cluster through joblib's Dask backend; the scores are svm_grid_scores', bit for bit.
//
// Python: $WST_PYTHON (a path or a name on $PATH), else the interpreter the module was built
// for; the build's python/ folder comes first on its PYTHONPATH, then $PYTHONPATH.
// Errors are IoError (exit 1) with one line that starts "--scheduler ADDRESS: ".
#pragma once
#include <string>
#include <vector>

#include "wst/learn/kernel_svm.hpp"

namespace wst::lab {

// The command that runs `python -m wst.dask_search` (argv, without its own arguments).
// IoError naming --scheduler when no interpreter is found.
std::vector<std::string> dask_search_command();

// IoError unless a Dask scheduler answers at `address` within `timeout_s` seconds (counted from
// this call; the Python start-up included); also bounded when Python itself hangs.
void check_dask_scheduler(const std::string& address, double timeout_s = 10);

// A KernelSvmOptions::grid_runner scoring the grid on the cluster at `address`: the request
// (X.npy, y.npy, request.json) goes to a temporary folder, removed afterwards; the scores come
// back from scores.json. Each call connects anew, within `timeout_s` seconds.
learn::SvmGridRunner dask_grid_runner(const std::string& address, double timeout_s = 10);

}  // namespace wst::lab
